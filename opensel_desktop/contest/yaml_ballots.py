"""The `ballots:` section of a contest file read line by line: the fast path for files of many papers.

A file of 60,000 papers is 60,000 lines such as

    - {ranking: [Siân Evans, Tom Jones], count: 12, channel: postal}
    - ranking: [3, 1]
      count: 2

Building them through YAML events costs about 10 microseconds a line; this reader takes a small fraction
of that. It is strict on purpose: it accepts only lines whose YAML meaning is certain, and gives up on
anything else, so that the whole file is then read the careful way (which also says what is wrong):

- the section is a top-level `ballots:` line followed by entries all at one indentation, one per line in
  flow style or as a short block mapping, with full-line comments and blank lines between them;
- every name or channel in an entry is written exactly as PyYAML writes that name (plain, or in single or
  double quotes), so it reads as the same text: a token that is not one of the contest's own names
  written one of those ways, or a candidate number from 1 to the number of candidates, ends the fast path;
- counts are plain decimal numbers; keys are `ranking`/`marks` (as the rule needs), `count`, `channel`.

`split` cuts the section out of the text, leaving blank lines so that every other line keeps its number;
the caller reads the rest as YAML, checks there that `ballots:` really is the top-level key on that line,
and then asks `read` for the papers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from opensel_desktop.contest.limits import MAX_WEIGHT
from opensel_desktop.contest.model import BallotSpec

_HEADER = re.compile(r"^ballots:(?:[ ]+#.*)?[ ]*\r?$", re.M)
_NEXT_ENTRY = re.compile(r"^(?![ #\r\n]|- |-\r?$)", re.M)
_KEY = re.compile(r"(ranking|marks|count|channel): ")
_COUNT = re.compile(r"[1-9][0-9]{0,7}")
# the line `convert` writes, with plain names: read at once (the general parser below takes the rest)
_COMMON = re.compile(r"( *)- \{(ranking|marks): \[([^\]'\"]*)\](?:, count: ([1-9][0-9]{0,7}))?"
                     r"(?:, channel: ([^,}'\"]+))?\}")


@dataclass(frozen=True, slots=True)
class Section:
    rest: str  # the text with the section's lines blanked
    header_line: int  # 1-based line of `ballots:`
    lines: list[str]


def split(text: str) -> Section | None:
    """The ballots section cut out of `text`, or None when the file has no such section (or two)."""
    found = list(_HEADER.finditer(text))
    if len(found) != 1:
        return None
    start = found[0].end() + 1  # the first line after `ballots:`
    if start > len(text):
        return None
    after = _NEXT_ENTRY.search(text, start)  # the section ends at the next line that starts a top-level entry
    end = len(text) if after is None else after.start()
    body = text[start:end]
    lines = body.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header_line = text.count("\n", 0, found[0].start()) + 1
    rest = text[:start] + "\n" * body.count("\n") + text[end:]
    return Section(rest, header_line, lines)


def _forms(values: tuple[str, ...]) -> dict[str, int]:
    """Each value as PyYAML writes it in a flow list (plain where it can, and in either quotes) -> its index;
    a form is kept only if libyaml reads it back as exactly that text."""
    out: dict[str, int] = {}
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for i, value in enumerate(values):
        for style in (None, "'", '"'):
            form = yaml.dump([value], default_flow_style=True, default_style=style, allow_unicode=True,
                             width=1_000_000).strip()
            if not (form.startswith("[") and form.endswith("]")):
                continue
            form = form[1:-1]
            if form not in out and yaml.load("[" + form + "]", Loader=loader) == [value]:
                out[form] = i
    return out


class _GiveUp(Exception):
    """Not a line this reader is sure of: read the file the careful way."""


def _token(line: str, pos: int, stops: str) -> tuple[str, int]:
    """The text of one flow scalar starting at `pos` (quoted or plain) and the position after it."""
    if pos >= len(line):
        raise _GiveUp
    quote = line[pos]
    if quote == "'":
        i = pos + 1
        while True:
            i = line.find("'", i)
            if i < 0:
                raise _GiveUp
            if line[i + 1:i + 2] == "'":
                i += 2
                continue
            return line[pos:i + 1], i + 1
    if quote == '"':
        i = pos + 1
        while i < len(line):
            ch = line[i]
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                return line[pos:i + 1], i + 1
            i += 1
        raise _GiveUp
    i = pos
    while i < len(line) and line[i] not in stops:
        i += 1
    if i == pos:
        raise _GiveUp
    return line[pos:i], i


class _Reader:
    def __init__(self, form: str, names: tuple[str, ...], seats: int, channels: tuple[str, ...]):
        self.form = form
        self.names = _forms(names)
        for n in range(1, len(names) + 1):
            self.names.setdefault(str(n), n - 1)  # a candidate's number in ballot order
        self.channels = _forms(channels)
        self.channel_names = channels
        self.seats = seats
        self.xvotes = form == "marks"

    def chosen(self, tokens: list[str]) -> tuple[int, ...]:
        names = self.names
        try:
            chosen = tuple([names[t] for t in tokens])
        except KeyError:
            raise _GiveUp from None
        if len(set(chosen)) != len(chosen) or (self.xvotes and len(chosen) > self.seats):
            raise _GiveUp
        return chosen

    def common(self, m: re.Match[str]) -> BallotSpec:
        """A line matched by _COMMON."""
        if m.group(2) != self.form:
            raise _GiveUp
        count = int(m.group(4)) if m.group(4) else 1
        channel = None
        if m.group(5) is not None:
            c = self.channels.get(m.group(5))
            if c is None:
                raise _GiveUp
            channel = self.channel_names[c]
        if count > MAX_WEIGHT:
            raise _GiveUp
        return BallotSpec(self.chosen(m.group(3).split(", ")), count, channel)

    def marks(self, line: str, pos: int) -> tuple[tuple[int, ...], int]:
        if line[pos:pos + 1] != "[":
            raise _GiveUp
        pos += 1
        close = line.find("]", pos)
        inner = line[pos:close]
        if close >= 0 and "'" not in inner and '"' not in inner:  # plain names only: split at once
            return self.chosen(inner.split(", ")), close + 1
        chosen: list[int] = []
        names = self.names
        while True:
            text, pos = _token(line, pos, ",]")
            c = names.get(text)
            if c is None:
                raise _GiveUp
            chosen.append(c)
            if line[pos:pos + 1] == "]":
                pos += 1
                break
            if line[pos:pos + 2] != ", ":
                raise _GiveUp
            pos += 2
        if len(set(chosen)) != len(chosen) or (self.xvotes and len(chosen) > self.seats):
            raise _GiveUp
        return tuple(chosen), pos

    def value(self, key: str, line: str, pos: int, stops: str) -> tuple[object, int]:
        if key == self.form:
            return self.marks(line, pos)
        if key == "count":
            m = _COUNT.match(line, pos)
            if m is None or int(m.group()) > MAX_WEIGHT:
                raise _GiveUp
            return int(m.group()), m.end()
        if key == "channel":
            text, end = _token(line, pos, stops)
            if text not in self.channels:
                raise _GiveUp
            return self.channel_names[self.channels[text]], end
        raise _GiveUp  # `marks` for a ranked rule, or the other way round: the careful path says so

    def entry(self, line: str, pos: int, entry: dict[str, object], stops: str) -> int:
        """One `key: value` at `pos` into `entry`; the position after the value."""
        m = _KEY.match(line, pos)
        if m is None or m.group(1) in entry:
            raise _GiveUp
        value, pos = self.value(m.group(1), line, m.end(), stops)
        entry[m.group(1)] = value
        return pos

    def flow(self, line: str, pos: int) -> dict[str, object]:
        """`{key: value, ...}` from `pos` to the end of the line."""
        entry: dict[str, object] = {}
        pos += 1
        while True:
            pos = self.entry(line, pos, entry, ",}")
            if line[pos:pos + 1] == "}":
                if pos + 1 != len(line):
                    raise _GiveUp
                return entry
            if line[pos:pos + 2] != ", ":
                raise _GiveUp
            pos += 2

    def spec(self, entry: dict[str, object]) -> BallotSpec:
        if self.form not in entry:
            raise _GiveUp
        return BallotSpec(entry[self.form], entry.get("count", 1), entry.get("channel"))  # type: ignore[arg-type]


def read(section: Section, form: str, names: tuple[str, ...], seats: int,
         channels: tuple[str, ...]) -> tuple[BallotSpec, ...] | None:
    """The section's papers, or None when any line is not one this reader is sure of."""
    reader = _Reader(form, names, seats, channels)
    out: list[BallotSpec] = []
    indent: int | None = None
    block: dict[str, object] | None = None  # a block-style entry still taking `key: value` lines
    try:
        common = _COMMON.fullmatch
        for raw in section.lines:
            m = common(raw)
            if m is not None and block is None and (indent is None or len(m.group(1)) == indent):
                indent = len(m.group(1))
                out.append(reader.common(m))
                continue
            line = (raw[:-1] if raw.endswith("\r") else raw).rstrip(" ")
            stripped = line.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                continue
            here = len(line) - len(stripped)
            if indent is None:
                indent = here
            if stripped.startswith("- ") and here == indent:
                if block is not None:
                    out.append(reader.spec(block))
                    block = None
                if stripped[2:3] == "{":
                    out.append(reader.spec(reader.flow(line, here + 2)))
                else:
                    block = {}
                    if reader.entry(line, here + 2, block, "") != len(line):
                        raise _GiveUp
            elif block is not None and here == indent + 2:
                if reader.entry(line, here, block, "") != len(line):
                    raise _GiveUp
            else:
                raise _GiveUp
        if block is not None:
            out.append(reader.spec(block))
    except (_GiveUp, IndexError):
        return None
    return tuple(out) if out else None
