"""The BLT ballot format (OpenSTV / Droop / OpenTally / OpaVote interchange): read and write.

    4 2                      candidates, seats
    -2                       optional: withdrawn candidates as negative numbers
    [withdrawn 2] [tie 3 1 2] [nick a b c d]   optional Droop-style option lines
    (id) 3 1 2 4 0           ballot lines: [optional id] weight, preferences..., 0
    0                        end of ballots
    "Ann" "Bob" ...          one name per candidate (contest/blt_names.py: every way files write them)
    "Title"                  title (quoted or not); anything after it is ignored

Strict where it matters (counts, candidate numbers, the terminating zeros), forgiving where nothing
is lost. The variants found in published files are read, and `BltFile.dialect` names the ones a
file used ("standard" when none): commas between the numbers or at the ends of lines
("comma-separated"), the name styles of contest/blt_names.py ("unquoted names", "party in doubled
quotes", ...), a UTF-8 byte order mark, CRLF or CR line ends, blank and comment lines, ballot ids,
Droop option lines, ballot lines without their closing 0 (OpenTally). A preference "-" (a skipped
rank) is ignored; an equal ranking "b=c" ends the paper's usable preferences, as UK rules treat an
uncertain next preference as non-transferable.

Numbers are whole numbers written with the digits 0-9. A file holds at most MAX_PAPERS papers in all
(each weight, and their total, is checked before anything is added up in fixed-width integers), so
no total can wrap round; a longer number, or one in other digits, is refused in one sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from opensel_desktop.contest.blt_names import Line, read_name_section
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.engine.model import PAD, Ballots, exact_sum

MAX_BYTES = 2_000_000_000
MAX_PAPERS = 10**12  # papers in one file, all lines together: far beyond any electorate, far below 2**63
MAX_CANDIDATES = 30000
_MAX_DIGITS = len(str(MAX_PAPERS))
_BLANK_CHARS = b" \t\r\f\v"
_NUMERIC_CHARS = b"0123456789 \t\r\n\f\v"
_END_LINE = re.compile(rb"\n[ \t\r\f\v,]*0[ \t\r\f\v,]*(?:\n|\Z)")  # the line that ends the ballots
# the first line after the first ballot line that is blank or ends the ballots: one pass finds both
_END_OR_BLANK = re.compile(rb"\n[ \t\r\f\v,]*(0?)[ \t\r\f\v,]*(?:\n|\Z)")
_BITS = 56  # candidates up to which _ranked_twice works on bit sets
_ASCII_WHOLE = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-[0-9]+")


@dataclass(frozen=True, slots=True)
class BltFile:
    names: tuple[str, ...]
    seats: int
    ballots: Ballots
    withdrawn: frozenset[int] = frozenset()
    title: str = ""
    tie_order: tuple[int, ...] | None = None
    notes: tuple[str, ...] = field(default=())  # warnings worth telling the user (equal rankings...)
    dialect: str = "standard"  # the variants of the format the file used, e.g. "unquoted names, CRLF line ends"


class _Source:
    """The file's bytes, checked to be UTF-8 text, read line by line from the top."""

    def __init__(self, data: bytes, path: str):
        self.path = path
        self.features: list[str] = []
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            self.features.append("byte order mark")
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise self.fail(None, None, "the file is UTF-16 text; save it as UTF-8 and try again.")
        if b"\x00" in data[:65536]:
            raise self.fail(None, None, "this is not a BLT ballot file (it contains binary data).")
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data[: exc.start].count(b"\n") + 1
                raise self.fail(line, None, "the file is not UTF-8 text; save it as UTF-8 and try again.") from None
        if b"\r" in data:
            if b"\n" not in data:
                data = data.replace(b"\r", b"\n")
                self.features.append("CR line ends")
            elif b"\r\n" in data:
                self.features.append("CRLF line ends")
        self.data = data
        self.pos = 0  # offset of the next line
        self.number = 0  # lines read so far
        self.blank = False

    def fail(self, line: int | None, col: int | None, message: str) -> ContestError:
        return ContestError.at(self.path, line, col, message)

    def next_line(self) -> str | None:
        if self.pos > len(self.data):
            return None
        nl = self.data.find(b"\n", self.pos)
        end = len(self.data) if nl < 0 else nl
        raw = self.data[self.pos:end]
        self.pos = end + 1
        self.number += 1
        return raw.decode("utf-8")

    def next_content(self) -> tuple[int, str] | None:
        """(offset, text) of the next line that is not blank or a '#' comment (OpenTally, pyRCV2 files)."""
        while True:
            at = self.pos
            text = self.next_line()
            if text is None:
                return None
            stripped = text.strip()
            if not stripped:
                self.blank = True
                continue
            if stripped.startswith("#"):
                self.features.append("comment lines")
                continue
            return at, text

    def lines_from(self, offset: int, number: int, commas: bool) -> Iterator[Line]:
        """Non-blank lines from `offset` (line `number`), stripped, a comma-separated file's end commas too."""
        self.pos, self.number = offset, number - 1
        while (text := self.next_line()) is not None:
            stripped = text.strip()
            if commas:
                stripped = stripped.rstrip(",").rstrip()
            if stripped:
                yield Line(self.number, stripped, len(text) - len(text.lstrip()))


def read_blt(path: str | Path) -> BltFile:
    p = Path(path)
    try:
        data = read_named_file(p, MAX_BYTES, "a BLT file", too_large="the file is too large to be a ballot file.")
    except FileRefused as exc:
        raise ContestError.at(str(p), None, None, str(exc)) from None
    return parse_blt(data, str(p))


def parse_blt(data: bytes, path: str = "<ballots>", *, fast: bool = True) -> BltFile:
    """The file's contents; ContestError with one located sentence if it cannot be read. `fast=False` reads
    every ballot line by line, the reference the numpy reader is checked against."""
    src = _Source(data, path)
    first = src.next_content()
    if first is None:
        raise src.fail(1, None, "the file is empty; a BLT file starts with the number of candidates and places.")
    commas = "," in first[1]
    ncand, seats = _header(first[1], src)
    withdrawn: set[int] = set()
    tie_order: tuple[int, ...] | None = None
    nicks: dict[str, int] = {}
    notes: list[str] = []
    while True:  # the withdrawn line and option lines
        line = src.next_content()
        if line is None:
            raise src.fail(src.number, None, "the file ends before the ballots' terminating 0 line; it may be "
                                             "truncated.")
        start, text = line
        body_line = src.number
        words = text.replace(",", " ").split()
        if words and all(_NEGATIVE.fullmatch(t) for t in words):
            commas = commas or "," in text
            for t in words:
                withdrawn.add(_candidate(t[1:], ncand, src, nicks, what="withdrawn candidate"))
            continue
        if text.lstrip().startswith("["):
            tie = _option_line(text, ncand, src, withdrawn, nicks)
            tie_order = tie if tie is not None else tie_order
            src.features.append("Droop option lines")
            continue
        break
    if text.replace(",", " ").strip() == "0":
        body, nlines, end_line, after, blank_inside = b"", 0, body_line, src.pos, False
    else:
        m = _END_OR_BLANK.search(src.data, start)
        blank_inside = m is not None and not m.group(1)
        if m is not None and blank_inside:
            m = _END_LINE.search(src.data, m.start())
        if m is None:
            raise src.fail(src.data.count(b"\n") + 1, None, "the ballots have no terminating '0' line; the file "
                                                             "may be truncated.")
        body = src.data[start:m.start()]
        nlines = body.count(b"\n") + 1
        end_line = body_line + nlines
        after = m.end() if src.data[m.end() - 1:m.end()] == b"\n" else len(src.data) + 1
    commas = commas or b"," in body
    ballots = _fast_ballots(body, nlines, blank_inside, ncand, commas, src) if fast and not nicks else None
    if ballots is None:
        ballots = _slow_ballots(body, body_line, ncand, nicks, src, notes)
    total = exact_sum(ballots.weights)
    if total > MAX_PAPERS:
        raise src.fail(body_line, None, f"the ballot weights add up to {total:,} papers, more than the "
                                        f"{MAX_PAPERS:,} a ballot file may hold; check the weights.")
    section = read_name_section(src.lines_from(after, end_line + 1, commas), ncand, src.fail)
    if seats > ncand:
        notes.append(f"the file asks for {seats} places among {ncand} candidates")
    return BltFile(section.names, seats, ballots, frozenset(withdrawn), section.title, tie_order, tuple(notes),
                   _dialect(commas, section.features, src))


def _dialect(commas: bool, name_features: tuple[str, ...], src: _Source) -> str:
    features = ["comma-separated"] if commas else []
    features += name_features
    features += src.features
    if src.blank:
        features.append("blank lines")
    if re.search(rb"\n[ \t\r\f\v]*\n[ \t\r\f\v\n]*\Z", src.data[-4096:]):
        features.append("trailing blank lines")
    return ", ".join(dict.fromkeys(features)) or "standard"


# ---- numbers ------------------------------------------------------------------------------------------

def number_problem(tok: str, what: str) -> str | None:
    """Why `tok` is not a whole number we can count with (one sentence without a full stop), or None."""
    if _ASCII_WHOLE.fullmatch(tok):
        if len(tok.lstrip("0")) > _MAX_DIGITS:
            return (f"{what} has {len(tok)} digits; a ballot file holds at most {MAX_PAPERS:,} papers, so none of "
                    f"its numbers has more than {_MAX_DIGITS}")
        return None
    other = next((ch for ch in tok if ch.isdigit() and not ch.isascii()), None)
    if other is not None:
        return (f"{what} is written with {unicodedata.name(other, 'a digit').lower()} (U+{ord(other):04X}); "
                "write numbers with the digits 0-9")
    return None


def _shown(tok: str) -> str:
    """A token for a message: quoted with escapes, and cut short if it is long."""
    return repr(tok if len(tok) <= 24 else tok[:20] + "...")


def _whole(tok: str, src: _Source, line: int, col: int | None, what: str) -> int | None:
    """`tok` as a whole number; None if it is not written as one; refused if too long or in other digits."""
    problem = number_problem(tok, what)
    if problem:
        raise src.fail(line, col, problem + ".")
    return int(tok.lstrip("0") or "0") if _ASCII_WHOLE.fullmatch(tok) else None


def _header(text: str, src: _Source) -> tuple[int, int]:
    head = text.replace(",", " ").split()
    line = src.number
    example = "the first line must be two whole numbers: candidates and places (e.g. '5 2')."
    if len(head) < 2:
        raise src.fail(line, 1, example)
    ncand = _whole(head[0], src, line, 1, "the number of candidates")
    seats_col = text.find(head[1], text.find(head[0]) + len(head[0])) + 1
    seats = _whole(head[1], src, line, seats_col, "the number of places")
    if ncand is None or seats is None:
        raise src.fail(line, 1, example)
    if ncand < 1:
        raise src.fail(line, 1, "the number of candidates must be at least 1.")
    if ncand > MAX_CANDIDATES:
        raise src.fail(line, 1, f"{ncand} candidates is more than a BLT file can hold here.")
    if seats < 1:
        raise src.fail(line, seats_col, "the number of places must be at least 1.")
    return ncand, seats


def _option_line(text: str, ncand: int, src: _Source, withdrawn: set[int],
                 nicks: dict[str, int]) -> tuple[int, ...] | None:
    """A Droop option line: [withdrawn ...], [tie ...] (returned), [nick ...]; other options are ignored."""
    body = text.strip()
    if not body.endswith("]"):
        raise src.fail(src.number, len(text.rstrip()), "an option line must end with ']'.")
    words = body[1:-1].split()
    if words and words[0] == "withdrawn":
        withdrawn.update(_candidate(t, ncand, src, nicks) for t in words[1:])
    elif words and words[0] == "tie":
        return tuple(_candidate(t, ncand, src, nicks) for t in words[1:])
    elif words and words[0] == "nick":
        if len(words) - 1 != ncand:
            raise src.fail(src.number, None, f"[nick] must give one nickname for each of the {ncand} candidates.")
        nicks.update({w: k for k, w in enumerate(words[1:])})
    return None


def _candidate(tok: str, ncand: int, src: _Source, nicks: dict[str, int], what: str = "candidate") -> int:
    if tok in nicks:
        return nicks[tok]
    c = _whole(tok, src, src.number, None, f"{what} number {_shown(tok)}")
    if c is None or not 1 <= c <= ncand:
        if what == "withdrawn candidate" and c is not None:
            raise src.fail(src.number, None, f"withdrawn candidate {c} does not exist (there are {ncand}).")
        raise src.fail(src.number, None, f"{_shown(tok)} is not a candidate number between 1 and {ncand}.")
    return c - 1


# ---- ballots -------------------------------------------------------------------------------------------

def _fast_ballots(body: bytes, nlines: int, blank_inside: bool, ncand: int, commas: bool,
                  src: _Source) -> Ballots | None:
    """Digits-and-spaces ballot lines: every token at once with numpy's C parser, then cut at the zeros.

    None sends the file to the line-by-line reader, which reads everything else and names any fault."""
    if commas:
        body = body.replace(b",", b" ")
    if body.translate(None, _NUMERIC_CHARS):
        return None  # ids, comments, "-", "=", nicknames or a fault: line by line
    if not body.strip():
        return Ballots(np.zeros((0, 1), dtype=np.int16), np.zeros(0, dtype=np.int64))
    if blank_inside:  # blank lines among the ballots are not ballot lines (the first line is never blank)
        blank = len(re.findall(rb"(?m)^[ \t\r\f\v]*$", body))
        src.blank = src.blank or blank > 0
        nlines -= blank
    try:
        # numpy reads digits-and-spaces exactly and saturates on overflow, so a huge number is seen below
        tokens = np.fromstring(body, dtype=np.int64, sep=" ")
    except ValueError:
        return None
    nonzero = tokens != 0
    zeros = np.flatnonzero(~nonzero)
    # every nonblank line must be "weight prefs... 0": count lines and zeros; a weight of 0 breaks the pattern
    if zeros.size != nlines or nonzero[-1]:
        return None
    starts = np.empty(zeros.size, dtype=np.int64)
    starts[0] = 0
    starts[1:] = zeros[:-1] + 1
    lengths = zeros - starts - 1  # preferences per ballot
    if (lengths < 0).any():
        return None
    weights = tokens[starts]
    if int(weights.min()) <= 0 or int(weights.max()) > MAX_PAPERS:
        return None
    nonzero[starts] = False  # now the preferences are exactly the non-zero tokens left, in file order
    values = tokens[nonzero]
    del tokens, nonzero
    if values.size and (int(values.max()) > ncand):
        return None  # weights may exceed the number of candidates; preferences may not
    values = values.astype(np.int16)
    values -= 1
    if _ranked_twice(values, lengths, ncand):
        return None  # a candidate ranked twice on one paper: the line-by-line reader names it
    width = max(int(lengths.max()), 1)
    prefs = np.full((zeros.size, width), PAD, dtype=np.int16)
    # ragged rows into the padded table in one pass: a boolean mask fills row by row, in order
    prefs[np.arange(width, dtype=np.int16) < lengths[:, None].astype(np.int16)] = values
    keep = lengths > 0
    if keep.all():
        return Ballots(prefs, weights)
    return Ballots(prefs[keep], weights[keep])


def _ranked_twice(values: np.ndarray, lengths: np.ndarray, ncand: int) -> bool:
    """Whether any paper ranks a candidate twice. For up to _BITS candidates a paper's candidates are bits, whose
    sum and bitwise or differ exactly when a bit repeats (at most _BITS of them: the sum cannot wrap round);
    otherwise equal neighbours once each paper's candidates are sorted."""
    if values.size == 0:
        return False
    if int(lengths.max()) > ncand:
        return True  # more preferences than candidates: one of them repeats
    filled = lengths[lengths > 0]
    offsets = np.zeros(filled.size, dtype=np.int64)
    np.cumsum(filled[:-1], out=offsets[1:])
    if ncand <= _BITS:
        one = np.int32(1) if ncand <= 30 else np.int64(1)  # 32-bit sets are enough for up to 30 candidates
        bits = np.left_shift(one, values.astype(one.dtype))
        return bool((np.bitwise_or.reduceat(bits, offsets) != np.add.reduceat(bits, offsets)).any())
    rows = np.repeat(np.arange(filled.size), filled)
    order = np.lexsort((values, rows))
    srt_rows, srt_values = rows[order], values[order]
    return bool(((srt_rows[1:] == srt_rows[:-1]) & (srt_values[1:] == srt_values[:-1])).any())


def _slow_ballots(body: bytes, first_line: int, ncand: int, nicks: dict[str, int], src: _Source,
                  notes: list[str]) -> Ballots:
    """Ballot lines one by one: every variant of the format, and the place of any fault."""
    rows: list[tuple[tuple[int, ...], int]] = []
    equal = 0
    unterminated = 0
    ids = False
    total = 0
    for j, raw in enumerate(body.split(b"\n") if body else [], first_line):
        text = raw.decode("utf-8").replace(",", " ")
        toks = text.split()
        if not toks:
            src.blank = True
            continue
        if toks[0].startswith("#"):
            src.features.append("comment lines")
            continue
        if toks[0].startswith("("):
            if not toks[0].endswith(")"):
                raise src.fail(j, 1, "a ballot id must be written as (id) with no spaces.")
            ids = True
            toks = toks[1:]
            if not toks:
                raise src.fail(j, None, "a ballot id must be followed by a weight and preferences.")
        col = text.find(toks[0]) + 1
        weight = _whole(toks[0], src, j, col, f"the ballot weight {_shown(toks[0])}")
        if weight is None:
            raise src.fail(j, col, f"expected a ballot weight (a whole number), found {_shown(toks[0])}.")
        total += weight
        if total > MAX_PAPERS:
            raise src.fail(j, col, f"the ballot weights up to this line add up to more than the {MAX_PAPERS:,} "
                                   "papers a ballot file may hold; check the weights.")
        prefs = toks[1:-1]
        if toks[-1] != "0":
            # OpenTally / pyRCV2 dialect: the 0 ending a ballot line is optional (the terminating 0 line is not)
            prefs = toks[1:]
            unterminated += 1
        ranking: list[int] = []
        seen: set[int] = set()
        stopped = False
        pos = col - 1 + len(toks[0])
        for tok in prefs:
            pos = text.find(tok, pos)
            column = pos + 1
            pos += len(tok)
            if stopped or tok == "-":
                continue
            if "=" in tok:
                for part in tok.split("="):
                    _preference(part, ncand, nicks, src, j, column)
                equal += weight
                stopped = True
                continue
            c = _preference(tok, ncand, nicks, src, j, column)
            if c in seen:
                raise src.fail(j, column, f"candidate {tok} is ranked twice on this ballot.")
            seen.add(c)
            ranking.append(c)
        if weight > 0 and ranking:
            rows.append((tuple(ranking), weight))
    if ids:
        src.features.append("ballot ids")
    if equal:
        notes.append(f"{equal} paper(s) rank candidates equally; their preferences stop at the equal ranking")
    if unterminated:
        src.features.append("ballot lines without a closing 0")
        notes.append(f"{unterminated} ballot line(s) have no closing 0; each was read as one line of papers")
    return Ballots.from_rankings(rows)


def _preference(tok: str, ncand: int, nicks: dict[str, int], src: _Source, line: int, column: int) -> int:
    if tok in nicks:
        return nicks[tok]
    c = _whole(tok, src, line, column, f"the preference {_shown(tok)}")
    if c is None:
        raise src.fail(line, column, f"{_shown(tok)} is not a candidate number.")
    if c == 0:
        raise src.fail(line, column, "a 0 in the middle of a ballot line; each ballot ends with a single 0.")
    if not 1 <= c <= ncand:
        raise src.fail(line, column, f"preference for candidate {c}, but there are only {ncand} candidates.")
    return c - 1


def write_blt(blt: BltFile) -> str:
    """BLT text for the given ballots; read_blt(write_blt(x)) gives the same names and ballots."""
    out = [f"{len(blt.names)} {blt.seats}"]
    if blt.withdrawn:
        out.append(" ".join(f"-{c + 1}" for c in sorted(blt.withdrawn)))
    if blt.tie_order:
        out.append("[tie " + " ".join(str(c + 1) for c in blt.tie_order) + "]")
    for ranking, weight in blt.ballots.rankings():
        out.append(" ".join([str(weight), *(str(c + 1) for c in ranking), "0"]))
    out.append("0")
    out.extend('"' + n.replace('"', '""') + '"' for n in blt.names)
    out.append('"' + blt.title.replace('"', '""') + '"')
    return "\n".join(out) + "\n"
