'''The candidate names and the title at the end of a BLT file, in every way real files write them.

After the ballots' terminating 0 come one name per candidate, then the title. Published files write
that section in several ways (the Scottish council ward files of 2007-2022 use all but the last):

    "Ann Smith"                          standard: a quoted name, a doubled quote "" inside stands for "
    Ann Smith (SNP)                      unquoted names (and title), one a line, the party in brackets
    "Ann Smith ""SNP"""                  the party in doubled quotes inside the quoted name
    "Ann Smith" "SNP"                    name and party quoted apart on one line
    """Ann Smith"" ""SNP"""              the same quoted once more (a spreadsheet cell written twice)
    # ALTERNATIVE NAME 1: Ann Smith      names given only on such comment lines, numbered
    "Ann" "Bob" "Cat"                    several names on one line (Droop reads names as a stream)

Names are kept as written, once unquoted: a name and party quoted apart become `Ann Smith "SNP"`,
which is how the doubled-quote files spell the same name, so every file of a contest reads alike.
Every name is checked as any name a person gives (contest/names.py): no control or invisible
formatting characters, no two names that look the same. Anything after the title is ignored
(Droop's test files carry notes there).
'''

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.names import bad_character, confusable_pair, name_problem, printable

_QUOTED = r'"(?:[^"]|"")*"'
_TOKEN = re.compile(_QUOTED)
_TOKENS = re.compile(rf"\s*{_QUOTED}(?:\s+{_QUOTED})*\s*")
_ALTERNATIVE = re.compile(r"#\s*ALTERNATIVE NAME\s+([0-9]{1,5})\s*:(.*)", re.IGNORECASE)
PAIR = 2  # quoted strings on a line that are one candidate's name and party


@dataclass(frozen=True, slots=True)
class Line:
    number: int  # 1-based line number in the file
    text: str  # stripped, without the line end
    indent: int = 0  # characters stripped from its start (for columns)


@dataclass(frozen=True, slots=True)
class NameSection:
    names: tuple[str, ...]
    title: str
    features: tuple[str, ...]  # how the section was written, for the dialect ("unquoted names", ...)


Fail = Callable[[int, int | None, str], ContestError]


def quoted_strings(text: str) -> list[str] | None:
    """The text as a sequence of quoted strings, each unquoted once; None if it is not one."""
    if not _TOKENS.fullmatch(text):
        return None
    return [m.group(0)[1:-1].replace('""', '"') for m in _TOKEN.finditer(text)]


def read_name_section(lines: Iterable[Line], ncand: int, fail: Fail) -> NameSection:
    """Names and title from the lines after the terminating 0 (blank lines already dropped)."""
    content: list[Line] = []  # names, title, notes
    alternatives: dict[int, Line] = {}
    last = 0
    for line in lines:
        last = line.number
        if line.text.startswith("#"):
            m = _ALTERNATIVE.fullmatch(line.text)
            if m:
                given = m.group(2)
                start = line.indent + m.start(2) + len(given) - len(given.lstrip())
                alternatives.setdefault(int(m.group(1)), Line(line.number, given.strip(), start))
            continue  # a comment
        content.append(line)
        if len(content) > ncand:
            break  # the names and the title; what follows is notes
    features: list[str] = []
    if len(content) < ncand and all(k in alternatives for k in range(1, ncand + 1)):
        features.append("names on alternative-name lines")
        named = [(_one_name(alternatives[k], k, ncand, fail, features), alternatives[k]) for k in range(1, ncand + 1)]
        title_line = content[0] if content else None
        doubly = False
    elif len(content) >= ncand and _one_per_line(content[:ncand]):
        _same_style(content[:ncand], ncand, fail)
        doubly = all(_doubly_quoted(ln.text) for ln in content[:ncand])
        if doubly:
            features.append("doubly quoted")
        named = [(_one_name(ln, k, ncand, fail, features, doubly), ln) for k, ln in enumerate(content[:ncand], 1)]
        title_line = content[ncand] if len(content) > ncand else None
    else:
        named, title_line = _stream(content, ncand, last, fail, features)
        doubly = False
    title = _title(title_line, fail, doubly) if title_line is not None else ""
    if title_line is not None and not title_line.text.startswith('"') and "unquoted names" not in features:
        features.append("unquoted title")
    _check_names(named, fail)
    return NameSection(tuple(n for n, _ in named), title, tuple(dict.fromkeys(features)))


def _one_per_line(lines: list[Line]) -> bool:
    """One candidate on each line (a quoted or unquoted name, or a name and its party), not a stream."""
    counts = [len(_strings(ln.text) or [ln.text]) for ln in lines]
    return all(c == 1 for c in counts) or all(c == PAIR for c in counts)


def _strings(text: str) -> list[str] | None:
    """Quoted strings on a line, looking through one more level of quoting (doubly quoted cells)."""
    first = quoted_strings(text)
    if first is not None and len(first) == 1:
        inner = quoted_strings(first[0])
        if inner is not None:
            return inner
    return first


def _doubly_quoted(text: str) -> bool:
    first = quoted_strings(text)
    return first is not None and len(first) == 1 and quoted_strings(first[0]) is not None


def _one_name(line: Line, k: int, ncand: int, fail: Fail, features: list[str], doubly: bool = False) -> str:
    text = line.text
    if not text.startswith('"'):
        features.append("unquoted names")
        return text
    strings = quoted_strings(text)
    if strings is None:
        raise fail(line.number, 1, f"candidate name {k} of {ncand} opens a double quote it does not close; a "
                                   "quoted name is written \"Ann Smith\", with any quote inside it doubled (\"\").")
    if doubly:
        strings = quoted_strings(strings[0]) or strings
    if len(strings) == PAIR:
        features.append("name and party quoted apart")
        name, party = (s.strip() for s in strings)
        return f'{name} "{party}"' if party else name
    name = strings[0]  # exactly as written inside the quotes, spaces included
    if '"' in name:
        features.append("party in doubled quotes")
    return name


def _same_style(lines: list[Line], ncand: int, fail: Fail) -> None:
    """Every name written the same way: a quoted name among unquoted ones (or the reverse) is a slip."""
    first = lines[0].text.startswith('"')
    for k, ln in enumerate(lines, 1):
        if ln.text.startswith('"') != first:
            if first:
                raise fail(ln.number, 1, f"expected candidate name {k} of {ncand} in double quotes, as the names "
                                         "before it are.")
            raise fail(ln.number, 1, f"candidate name {k} of {ncand} is in double quotes but the names before "
                                     "it are not; write every name the same way.")


def _stream(content: list[Line], ncand: int, last: int, fail: Fail,
            features: list[str]) -> tuple[list[tuple[str, Line]], Line | None]:
    """Names written several to a line: quoted strings in order; the one after the last name is the title."""
    named: list[tuple[str, Line]] = []
    for i, line in enumerate(content):
        strings = quoted_strings(line.text)
        if strings is None and "names on shared lines" not in features and not line.text.startswith('"'):
            break  # fewer name lines than candidates, none of them shared: a truncated list (below)
        if strings is None:
            k = len(named) + 1
            if line.text.startswith('"'):
                raise fail(line.number, 1, f"candidate name {k} of {ncand} opens a double quote it does not close; "
                                           "a quoted name is written \"Ann Smith\".")
            raise fail(line.number, 1, f"expected candidate name {k} of {ncand} in double quotes (the names "
                                       "before it share lines, so every name must be quoted).")
        if len(strings) > 1:
            features.append("names on shared lines")
        for j, s in enumerate(strings):
            if len(named) == ncand:  # the title shares the line of the last name
                return named, Line(line.number, " ".join('"' + x.replace('"', '""') + '"' for x in strings[j:]))
            named.append((s, line))
        if len(named) == ncand:
            return named, (content[i + 1] if i + 1 < len(content) else None)
    listed = len(named) if "names on shared lines" in features else len(content)
    where = content[-1].number + 1 if content else last + 1
    raise fail(where, None, f"the file lists {listed} candidate names but the first line says {ncand}; it may "
                            "be truncated.")


def _title(line: Line, fail: Fail, doubly: bool) -> str:
    if line.text.startswith('"') and line.text.count('"') % 2:
        raise fail(line.number, 1, "the title opens a double quote it does not close; the file may be truncated.")
    strings = quoted_strings(line.text)
    if strings is None:
        title = line.text  # an unquoted title, or one with notes after it: as written
    else:
        if doubly and len(strings) == 1:
            strings = [s.strip() for s in quoted_strings(strings[0]) or strings]
        title = strings[0]
    problem = name_problem(title, "title")
    if problem:
        raise fail(line.number, _column_of_problem(line, title), problem + ".")
    return title


def _check_names(named: list[tuple[str, Line]], fail: Fail) -> None:
    names = [n for n, _ in named]
    for k, (name, line) in enumerate(named, 1):
        if not name.strip():
            raise fail(line.number, 1, f"candidate name {k} is empty; give every candidate a name.")
        problem = name_problem(name, f"name of candidate {k}")
        if problem:
            raise fail(line.number, _column_of_problem(line, name), problem + ".")
    seen: dict[str, int] = {}
    for k, name in enumerate(names):
        if name in seen:
            raise fail(named[k][1].number, 1, f"two candidates share the name {printable(name)!r}; names must be "
                                              "unique.")
        seen[name] = k
    pair = confusable_pair(names)
    if pair:
        i, j = pair
        raise fail(named[j][1].number, 1, f"candidate names {i + 1} and {j + 1} ({printable(names[i])!r} and "
                                          f"{printable(names[j])!r}) look the same; names must be told apart at a "
                                          "glance.")


def _column_of_problem(raw: Line, text: str) -> int:
    """The column, in the raw line, of the first character a name may not hold."""
    bad = bad_character(text)
    if bad is None:
        return 1
    at = raw.text.find(text[bad[0]])
    return raw.indent + (at + 1 if at >= 0 else 1)
