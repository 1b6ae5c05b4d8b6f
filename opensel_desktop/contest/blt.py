"""The BLT ballot format (OpenSTV / Droop / OpenTally / OpaVote interchange): read and write.

    4 2                      candidates, seats
    -2                       optional: withdrawn candidates as negative numbers
    [withdrawn 2] [tie 3 1 2] [nick a b c d]   optional Droop-style option lines
    (id) 3 1 2 4 0           ballot lines: [optional id] weight, preferences..., 0
    0                        end of ballots
    "Ann" "Bob" ...          one quoted name per candidate
    "Title"                  title (quoted or not); anything after it is ignored

Strict where it matters (counts, candidate numbers, the terminating zeros), forgiving where nothing
is lost (title quoting, a UTF-8 byte order mark, blank lines, trailing notes). A preference "-"
(a skipped rank) is ignored; an equal ranking "b=c" ends the paper's usable preferences, as UK rules
treat an uncertain next preference as non-transferable. Names are kept exactly as written; a doubled
quote inside a quoted name becomes one quote (scot-elex writes parties that way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.engine.model import PAD, Ballots

MAX_BYTES = 2_000_000_000
MAX_WEIGHT = 10**17  # beyond int64 sums; the engine refuses smaller weights it cannot count exactly
_FAST_BODY = re.compile(rb"[0-9\s]*")
_TOO_BIG = MAX_WEIGHT + 1  # larger numbers go to the line-by-line reader, which names them


@dataclass(frozen=True, slots=True)
class BltFile:
    names: tuple[str, ...]
    seats: int
    ballots: Ballots
    withdrawn: frozenset[int] = frozenset()
    title: str = ""
    tie_order: tuple[int, ...] | None = None
    notes: tuple[str, ...] = field(default=())  # warnings worth telling the user (equal rankings...)


class _Reader:
    def __init__(self, data: bytes, path: str):
        self.path = path
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        if b"\x00" in data[:65536]:
            raise ContestError.at(path, None, None, "this is not a BLT ballot file (it contains binary data).")
        self.data = data
        try:
            self.text = None
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ContestError.at(path, line, None, "the file is not UTF-8 text; save it as UTF-8 and try again.") \
                from None

    def fail(self, line: int, col: int | None, message: str) -> ContestError:
        return ContestError.at(self.path, line, col, message)


def read_blt(path: str | Path) -> BltFile:
    p = Path(path)
    try:
        data = read_named_file(p, MAX_BYTES, "a BLT file", too_large="the file is too large to be a ballot file.")
    except FileRefused as exc:
        raise ContestError.at(str(p), None, None, str(exc)) from None
    return parse_blt(data, str(p))


def parse_blt(data: bytes, path: str = "<ballots>") -> BltFile:
    r = _Reader(data, path)
    lines = r.data.split(b"\n")
    n = len(lines)
    i = 0

    def skip_blank(i: int) -> int:
        # '#' comment lines (OpenTally / pyRCV2 files) carry nothing for the count
        while i < n and (not lines[i].strip() or lines[i].lstrip().startswith(b"#")):
            i += 1
        return i

    i = skip_blank(i)
    if i >= n:
        raise r.fail(1, None, "the file is empty; a BLT file starts with the number of candidates and places.")
    head = lines[i].split()
    if len(head) < 2 or not all(_is_int(t) for t in head[:2]):
        raise r.fail(i + 1, 1, "the first line must be two whole numbers: candidates and places (e.g. '5 2').")
    ncand, seats = int(head[0]), int(head[1])
    if ncand < 1:
        raise r.fail(i + 1, 1, "the number of candidates must be at least 1.")
    if ncand > 30000:
        raise r.fail(i + 1, 1, f"{ncand} candidates is more than a BLT file can hold here.")
    if seats < 1:
        raise r.fail(i + 1, len(head[0]) + 2, "the number of places must be at least 1.")
    i += 1
    withdrawn: set[int] = set()
    tie_order: tuple[int, ...] | None = None
    nicks: dict[str, int] = {}
    notes: list[str] = []
    # withdrawn line and option lines
    while True:
        i = skip_blank(i)
        if i >= n:
            raise r.fail(i, None, "the file ends before the ballots' terminating 0 line; it may be truncated.")
        line = lines[i].strip()
        if line.startswith(b"-") and all(_is_int(t) and int(t) < 0 for t in line.split()):
            for t in line.split():
                c = -int(t)
                if c > ncand:
                    raise r.fail(i + 1, None, f"withdrawn candidate {c} does not exist (there are {ncand}).")
                withdrawn.add(c - 1)
            i += 1
            continue
        if line.startswith(b"["):
            body = _decode(line, r, i).strip()
            if not body.endswith("]"):
                raise r.fail(i + 1, len(body), "an option line must end with ']'.")
            words = body[1:-1].split()
            if words and words[0] == "withdrawn":
                for t in words[1:]:
                    c = _cand_number(t, ncand, r, i, nicks)
                    withdrawn.add(c)
            elif words and words[0] == "tie":
                tie_order = tuple(_cand_number(t, ncand, r, i, nicks) for t in words[1:])
            elif words and words[0] == "nick":
                if len(words) - 1 != ncand:
                    raise r.fail(i + 1, None, f"[nick] must give one nickname for each of the {ncand} candidates.")
                nicks = {w: k for k, w in enumerate(words[1:])}
            i += 1
            continue
        break
    start = i
    # find the terminating "0" line (the first line that is exactly 0)
    # (C-level map/index, not a Python loop over a million lines)
    stripped = list(map(bytes.strip, lines[start:]))
    try:
        end = start + stripped.index(b"0")
    except ValueError:
        raise r.fail(n, None, "the ballots have no terminating '0' line; the file may be truncated.") from None
    nonblank = (end - start) - stripped[: end - start].count(b"")
    del stripped
    start_at = sum(len(ln) + 1 for ln in lines[:start])
    end_at = start_at + sum(map(len, lines[start:end])) + (end - start)
    body = r.data[start_at:end_at].removesuffix(b"\n")
    ballots = None
    if not nicks and _FAST_BODY.fullmatch(body):
        ballots = _fast_ballots(body, ncand, nonblank)
    if ballots is None:
        ballots = _slow_ballots(lines, start, end, ncand, nicks, r, notes)
    # names
    names: list[str] = []
    j = end + 1
    while len(names) < ncand:
        j = skip_blank(j)
        if j >= n:
            raise r.fail(j, None, f"the file lists {len(names)} candidate names but the first line says {ncand}; "
                                  "it may be truncated.")
        raw = _decode(lines[j], r, j).strip()
        if raw.startswith('"'):
            if len(raw) < 2 or not raw.endswith('"'):
                raise r.fail(j + 1, 1, "a candidate name must be in double quotes on a line of its own.")
            names.append(raw[1:-1].replace('""', '"'))
        else:
            raise r.fail(j + 1, 1, f"expected candidate name {len(names) + 1} of {ncand} in double quotes.")
        j += 1
    if len(set(names)) != len(names):
        dup = next(x for x in names if names.count(x) > 1)
        raise r.fail(j, 1, f"two candidates share the name {dup!r}; names must be unique.")
    j = skip_blank(j)
    title = ""
    if j < n:
        t = _decode(lines[j], r, j).strip()
        title = t[1:-1].replace('""', '"') if len(t) >= 2 and t.startswith('"') and t.endswith('"') else t
    if seats > ncand:
        notes.append(f"the file asks for {seats} places among {ncand} candidates")
    return BltFile(tuple(names), seats, ballots, frozenset(withdrawn), title, tie_order, tuple(notes))


def _decode(raw: bytes, r: _Reader, i: int) -> str:
    return raw.decode("utf-8").rstrip("\r")


def _is_int(t: bytes | str) -> bool:
    s = t.decode() if isinstance(t, bytes) else t
    return bool(re.fullmatch(r"-?\d+", s))


def _cand_number(tok: str, ncand: int, r: _Reader, i: int, nicks: dict[str, int]) -> int:
    if tok in nicks:
        return nicks[tok]
    if not _is_int(tok) or not 1 <= int(tok) <= ncand:
        raise r.fail(i + 1, None, f"{tok!r} is not a candidate number between 1 and {ncand}.")
    return int(tok) - 1


def _fast_ballots(body: bytes, ncand: int, nlines: int) -> Ballots | None:
    """Digits-and-spaces body: parse every token at once with numpy, then cut at the zeros."""
    if not body.strip():
        return Ballots(np.zeros((0, 1), dtype=np.int16), np.zeros(0, dtype=np.int64))
    # the body is only digits and whitespace (checked by the caller), so numpy's C parser reads it
    # exactly and ~5x faster than splitting into Python objects; it saturates on overflow, so a
    # huge number sends the file to the line-by-line reader
    tokens = np.fromstring(body, dtype=np.int64, sep=" ")
    if tokens.size == 0 or int(tokens.max()) >= _TOO_BIG:
        return None
    zeros = np.flatnonzero(tokens == 0)
    # every nonblank line must be "weight prefs... 0": count lines and zeros; a weight of 0 breaks the pattern
    if zeros.size != nlines or tokens[-1] != 0:
        return None  # let the line-by-line reader find and name the faulty line
    starts = np.concatenate(([0], zeros[:-1] + 1))
    lengths = zeros - starts - 1  # preferences per ballot
    if (lengths < 0).any():
        return None
    weights = tokens[starts]
    if (weights <= 0).any():
        return None
    tokens[starts] = 0  # now the preferences are exactly the non-zero tokens, in file order
    if int(tokens.max()) > ncand:
        return None  # weights may exceed the number of candidates; preferences may not
    values = tokens[tokens != 0].astype(np.int16)
    del tokens
    values -= 1
    width = max(int(lengths.max()), 1)
    prefs = np.full((zeros.size, width), PAD, dtype=np.int16)
    # ragged rows into the padded table in one pass: a boolean mask fills row by row, in order
    prefs[np.arange(width, dtype=np.int32) < lengths[:, None]] = values
    if _ranked_twice(prefs):
        return None  # a candidate ranked twice on one paper: the slow path gives the precise message
    keep = lengths > 0
    if keep.all():
        return Ballots(prefs, weights)
    return Ballots(prefs[keep], weights[keep])


def _ranked_twice(prefs: np.ndarray) -> bool:
    """Whether any paper ranks a candidate twice (equal neighbours once each row is sorted)."""
    if prefs.shape[1] < 2:
        return False
    srt = np.sort(prefs, axis=1)
    return bool(((srt[:, 1:] == srt[:, :-1]) & (srt[:, 1:] != PAD)).any())


def _slow_ballots(lines, start: int, end: int, ncand: int, nicks: dict[str, int], r: _Reader,
                  notes: list[str]) -> Ballots:
    rows: list[tuple[tuple[int, ...], int]] = []
    equal = 0
    unterminated = 0
    for j in range(start, end):
        raw = lines[j]
        text = _decode(raw, r, j)
        toks = text.split()
        if not toks or toks[0].startswith("#"):
            continue
        col = 1
        if toks[0].startswith("("):
            if not toks[0].endswith(")"):
                raise r.fail(j + 1, 1, "a ballot id must be written as (id) with no spaces.")
            toks = toks[1:]
            if not toks:
                raise r.fail(j + 1, None, "a ballot id must be followed by a weight and preferences.")
        if not _is_int(toks[0]) or int(toks[0]) < 0:
            raise r.fail(j + 1, col, f"expected a ballot weight (a whole number), found {toks[0]!r}.")
        weight = int(toks[0])
        if weight > MAX_WEIGHT:
            raise r.fail(j + 1, col, f"a ballot weight of {toks[0]} is more papers than any count can hold.")
        prefs = toks[1:-1]
        if toks[-1] != "0":
            # OpenTally / pyRCV2 dialect: the 0 ending a ballot line is optional (the terminating 0 line is not)
            prefs = toks[1:]
            unterminated += 1
        ranking: list[int] = []
        seen: set[int] = set()
        stopped = False
        pos = text.find(toks[0]) + len(toks[0])
        for tok in prefs:
            pos = text.find(tok, pos)
            column = pos + 1
            pos += len(tok)
            if stopped:
                continue
            if tok == "-":
                continue
            if "=" in tok:
                for part in tok.split("="):
                    _pref(part, ncand, nicks, r, j, column)
                equal += weight
                stopped = True
                continue
            c = _pref(tok, ncand, nicks, r, j, column)
            if c in seen:
                raise r.fail(j + 1, column, f"candidate {tok} is ranked twice on this ballot.")
            seen.add(c)
            ranking.append(c)
        if weight > 0 and ranking:
            rows.append((tuple(ranking), weight))
    if equal:
        notes.append(f"{equal} paper(s) rank candidates equally; their preferences stop at the equal ranking")
    if unterminated:
        notes.append(f"{unterminated} ballot line(s) have no closing 0; each was read as one line of papers")
    return Ballots.from_rankings(rows)


def _pref(tok: str, ncand: int, nicks: dict[str, int], r: _Reader, j: int, column: int) -> int:
    if tok in nicks:
        return nicks[tok]
    if not _is_int(tok):
        raise r.fail(j + 1, column, f"{tok!r} is not a candidate number.")
    c = int(tok)
    if c == 0:
        raise r.fail(j + 1, column, "a 0 in the middle of a ballot line; each ballot ends with a single 0.")
    if not 1 <= c <= ncand:
        raise r.fail(j + 1, column, f"preference for candidate {c}, but there are only {ncand} candidates.")
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
