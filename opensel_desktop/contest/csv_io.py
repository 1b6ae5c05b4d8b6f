"""CSV ballots: one row per paper, one column per candidate, the header naming the candidates.

    Siân Evans,Tom Jones,Łukasz Nowak        header: candidate names in ballot order
    1,2,                                      ranks (1 = first preference), blank = not ranked
    ,1,2
    X,,X                                      or X-votes (fptp/block), one file one kind of paper

An optional first column headed `id`, `paper` or `ballot` carries the paper's number and is ignored
by the count. A paper with no first preference (or no X at all) is not a vote: it is counted under
"unmarked" (no marks) or "first preference not indicated" and reported, never silently dropped. As in
UK rules (ERS97 6.10), a paper's preferences stop where the next one is uncertain: two equal ranks or
a gap in the numbers.

Spreadsheets run a cell starting with = + - @ (or a tab or carriage return) as a formula, so every CSV
we write puts an apostrophe before such a cell (`spreadsheet_safe`), and the reader takes it off again
(`from_spreadsheet`): a name reads back exactly as it was written. Names in the header are checked as
every name is (contest/names.py): plain characters only, no two that read the same.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from opensel_desktop.contest.errors import ContestError, Problem
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.limits import MAX_CANDIDATES, MAX_DIGITS, MAX_PAPERS, digits_problem, figure
from opensel_desktop.contest.names import name_problem, printable, quoted, skeleton
from opensel_desktop.engine.model import Ballots

MAX_BYTES = 500_000_000
MAX_PROBLEMS = 20  # every problem at once, but a wholly wrong file should not print a million lines
ID_HEADERS = ("id", "paper", "ballot", "paper number", "ballot id")
NO_FIRST = "first preference not indicated"
UNMARKED = "unmarked"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def spreadsheet_safe(cell: str) -> str:
    """The cell as written to a CSV file: an apostrophe before a cell a spreadsheet would run as a formula
    (and before one that already starts with an apostrophe and such a character, so reading is exact).
    Plain numbers, negative ones included, stay numbers."""
    if cell[:1] in FORMULA_START and not _NUMBER.fullmatch(cell):
        return "'" + cell
    if cell[:1] == "'" and (cell[1:2] in FORMULA_START or cell[1:2] == "'"):
        return "'" + cell
    return cell


def from_spreadsheet(cell: str) -> str:
    """What `spreadsheet_safe` wrote, read back: the guarding apostrophe taken off."""
    if cell[:1] == "'" and (cell[1:2] in FORMULA_START or cell[1:2] == "'"):
        return cell[1:]
    return cell


@dataclass(frozen=True, slots=True)
class CsvBallots:
    names: tuple[str, ...]
    ballots: Ballots  # rankings, or X-sets (candidate indices in ballot order) when xvotes
    xvotes: bool = False
    rejected: dict[str, int] = field(default_factory=dict)  # heading -> papers
    notes: tuple[str, ...] = ()


def read_csv_ballots(path: str | Path) -> CsvBallots:
    p = Path(path)
    name = str(p)
    try:
        data = read_named_file(p, MAX_BYTES, "a CSV ballots file",
                               too_large="the file is too large for a CSV ballots file; use a .blt file.")
    except FileRefused as exc:
        raise ContestError.at(name, None, None, str(exc)) from None
    return parse_csv_ballots(data, name)


def _cells(line: str) -> tuple[list[str], list[int | None]]:
    """The cells of one line and the 1-based column where each starts (None inside quoted lines)."""
    if '"' not in line:
        cells = line.split(",")
        cols: list[int | None] = []
        pos = 1
        for c in cells:
            cols.append(pos)
            pos += len(c) + 1
        return cells, cols
    row = next(csv.reader([line]), [])
    return row, [None] * len(row)


def parse_csv_ballots(data: bytes, path: str = "<ballots.csv>") -> CsvBallots:
    if b"\x00" in data[:65536]:
        raise ContestError.at(path, None, None, "this is a binary file, not CSV ballots; export the ballots as "
                                                "CSV text.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContestError.at(path, line, None, "the file is not UTF-8 text; save it as CSV UTF-8 and try again.") \
            from None
    lines = text.splitlines()
    problems: list[Problem] = []

    def problem(line: int, col: int | None, message: str) -> None:
        problems.append(Problem(path, line, col, message))
        if len(problems) >= MAX_PROBLEMS:
            raise ContestError(problems + [Problem(path, None, None, "more problems follow; correct these first.")])

    start = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if start is None:
        raise ContestError.at(path, 1, 1, "the file is empty; the first line must name the candidates, "
                                          "e.g. 'Ann Smith,Bob Jones'.")
    header, hcols = _cells(lines[start])
    header = [from_spreadsheet(h.strip()) for h in header]
    skip_id = bool(header) and header[0].lower() in ID_HEADERS
    names = header[1:] if skip_id else header
    offset = 1 if skip_id else 0
    if len(names) > MAX_CANDIDATES:
        raise ContestError.at(path, start + 1, None, f"the header names {figure(len(names))} candidates, more than "
                                                     f"the {figure(MAX_CANDIDATES)} a ballot paper can hold.")
    seen: dict[str, str] = {}  # skeleton -> the name as written
    for k, n in enumerate(names):
        col = hcols[k + offset]
        bad = name_problem(n, f"candidate name in column {k + offset + 1}")
        if not n:
            problem(start + 1, col, f"column {k + offset + 1} of the header has no candidate name; name every "
                                    "candidate column.")
        elif bad is not None:
            problem(start + 1, col, bad + ".")
        elif re.fullmatch(r"\d+|[xX]", n):
            problem(start + 1, col, f"the header cell {quoted(n)} looks like a mark, not a name; the first line "
                                    "must name the candidates.")
        elif n in seen.values():
            problem(start + 1, col, f"the candidate {quoted(n)} is named twice in the header; each needs one "
                                    "column.")
        elif skeleton(n) in seen:
            problem(start + 1, col, f"the candidate {quoted(n)} reads the same as {quoted(seen[skeleton(n)])} but is "
                                    "written differently (a letter from another alphabet, or another case or "
                                    "spacing); give each candidate a name that reads differently.")
        seen.setdefault(skeleton(n), n)
    if not names:
        problem(start + 1, 1, "the header names no candidates.")
    if problems:
        raise ContestError(problems)
    ncand = len(names)
    grouped: dict[tuple[int, ...], int] = {}
    rejected: dict[str, int] = {}
    stopped = 0
    kind: str | None = None  # "rank" or "x", fixed by the first marked paper
    papers = 0
    for i in range(start + 1, len(lines)):
        raw = lines[i]
        if not raw.strip():
            continue
        papers += 1
        if papers > MAX_PAPERS:
            raise ContestError.at(path, i + 1, None, f"the file holds more than {figure(MAX_PAPERS)} papers, more "
                                                     "than a contest can hold.")
        cells, cols = _cells(raw)
        if len(cells) != ncand + offset:
            problem(i + 1, None, f"this row has {len(cells)} cells but the header has {ncand + offset}; every "
                                 "paper needs one cell per candidate (blank if not marked).")
            continue
        marks = cells[offset:]
        ranks: dict[int, list[int]] = {}
        xs: list[int] = []
        refused = False
        for c, cell in enumerate(marks):
            v = cell.strip()
            if not v:
                continue
            col = cols[c + offset]
            if v in ("x", "X"):
                this = "x"
            elif v.isascii() and v.isdigit() and len(v) <= MAX_DIGITS and int(v) >= 1:
                this = "rank"
            else:
                digits = digits_problem(v)
                if digits is not None:
                    problem(i + 1, col, f"the rank {quoted(v)} for {printable(names[c])} {digits}.")
                elif v.isascii() and v.isdigit() and len(v) > MAX_DIGITS:
                    problem(i + 1, col, f"the rank {quoted(v)} for {printable(names[c])} has more than "
                                        f"{MAX_DIGITS} digits; ranks run 1, 2, 3...")
                else:
                    problem(i + 1, col, f"{quoted(v)} for {printable(names[c])} is not a rank (1, 2, 3...) or an X; "
                                        "leave the cell blank if the candidate is not marked.")
                refused = True
                continue
            if kind is None:
                kind = this
            elif this != kind:
                problem(i + 1, col, "this file mixes ranks and X-votes; one file holds one kind of paper.")
                refused = True
                continue
            if this == "x":
                xs.append(c)
            else:
                ranks.setdefault(int(v), []).append(c)
        if refused:
            continue
        if kind == "x" or (not ranks and not xs):
            if not xs:
                rejected[UNMARKED] = rejected.get(UNMARKED, 0) + 1
                continue
            key = tuple(xs)
        else:
            if 1 not in ranks:
                rejected[NO_FIRST] = rejected.get(NO_FIRST, 0) + 1
                continue
            ranking: list[int] = []
            r = 1
            while r in ranks and len(ranks[r]) == 1:  # uncertain next preference: stop (ERS97 6.10)
                ranking.append(ranks[r][0])
                r += 1
            if len(ranking) < sum(len(v) for v in ranks.values()):
                stopped += 1
            if not ranking:  # two first preferences: void for uncertainty
                rejected["void for uncertainty"] = rejected.get("void for uncertainty", 0) + 1
                continue
            key = tuple(ranking)
        grouped[key] = grouped.get(key, 0) + 1
    if problems:
        raise ContestError(problems)
    notes = []
    if stopped:
        notes.append(f"{stopped} paper(s) have equal or missing ranks; their preferences stop there")
    for heading, papers in rejected.items():
        notes.append(f"{papers} paper(s) rejected: {heading}")
    return CsvBallots(tuple(names), Ballots.from_rankings(grouped.items()), kind == "x", rejected, tuple(notes))


def header_problem(names: tuple[str, ...]) -> str | None:
    """Why these names cannot head a CSV ballots file that reads back as the same candidates, or None."""
    seen: dict[str, str] = {}
    for k, n in enumerate(names):
        bad = name_problem(n, f"name of candidate {k + 1}")
        if bad is not None:
            return bad
        if not n.strip() or n != n.strip():
            return f"the name of candidate {k + 1} is empty or starts or ends with spaces"
        if re.fullmatch(r"\d+|[xX]", n):
            return f"the candidate name {quoted(n)} would read as a mark, not a name"
        if k == 0 and n.lower() in ID_HEADERS:
            return f"a first candidate named {quoted(n)} would read as the column of paper numbers"
        if skeleton(n) in seen:
            return f"the candidates {quoted(seen[skeleton(n)])} and {quoted(n)} read the same"
        seen[skeleton(n)] = n
    return None


def write_csv_ballots(names: tuple[str, ...], ballots: Ballots, xvotes: bool = False) -> str:
    """The papers as CSV ballots (one row per paper, the header naming the candidates) in the shape
    `parse_csv_ballots` reads back to the same papers. Ranked papers carry their ranks; X-vote papers an X.
    ValueError (a sentence) when the names could not be read back as the same candidates."""
    bad = header_problem(names)
    if bad is not None:
        raise ValueError(bad)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_safe(n) for n in names])
    header = buf.getvalue()
    parts = [header]
    for ranking, weight in ballots.rankings():
        cells = [""] * len(names)
        for rank, c in enumerate(ranking, start=1):
            cells[c] = "X" if xvotes else str(rank)
        parts.append((",".join(cells) + "\n") * weight)  # one line per paper, made once per grouped row
    return "".join(parts)
