"""Contest files (YAML, `docs/contest-format.md`): load with every problem at once, and write back.

Reading is `yaml_read`'s: libyaml's events built into plain values, refusing what a contest file never
needs (tags such as `!!python/object`, alias bombs, duplicate keys, deep nesting). This module checks
the bytes first (binary, UTF-16, not UTF-8, control characters, size), then validates the values:
every problem (file:line:column + how to fix it) is collected and raised as one ContestError; nothing
is returned half-loaded. Names and texts are checked with `names` (no control or invisible characters,
no two names that look alike), figures against `limits` (no count or total beyond what a contest holds).
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from opensel_desktop.contest import kinds, yaml_ballots, yaml_read
from opensel_desktop.contest.errors import ContestError, Problem
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.limits import (
    MAX_CANDIDATES,
    MAX_PAPERS,
    MAX_SEATS,
    MAX_WEIGHT,
    digits_problem,
    figure,
)
from opensel_desktop.contest.model import (
    DEFAULT_HEADINGS,
    KINDS,
    BallotSpec,
    CandidateSpec,
    Channel,
    Contest,
)
from opensel_desktop.contest.names import MAX_NAME, name_problem, quoted, skeleton
from opensel_desktop.engine.model import Constraint
from opensel_desktop.engine.rule_facts import (
    FACTS,
    MARK_RULES,
    NO_BALLOT_RULES,
    RULE_NAMES,
    SINGLE_SEAT_RULES,
)

FORMAT = "opensel-contest"
FORMAT_MAJOR = 1
# About 500,000 to 1,000,000 ballot entries, each standing for up to MAX_WEIGHT papers: a limit set by memory
# (about 700 bytes per entry) and time (about 0.5 s per 100,000 entries), see bench/contest_files.py.
MAX_BYTES = 64_000_000

# every rule a contest may name (the engine registry may not have all of them yet: `count` says so)
KNOWN_RULES = RULE_NAMES

TOP_KEYS = (
    "format", "kind", "organisation", "title", "position", "date", "venue", "returning_officer", "tellers",
    "method", "candidates", "constraints", "channels", "rejection_headings", "rejected", "ballots",
    "rounds", "trigger", "motion",
)
KIND_SECTIONS = ("rounds", "trigger", "motion")
TEXT_KEYS = ("organisation", "title", "position", "date", "venue", "returning_officer")
METHOD_KEYS = ("rule", "seats", "options")
CANDIDATE_KEYS = ("name", "categories", "withdrawn", "hotkey")
CONSTRAINT_KEYS = ("category", "value", "min", "max", "sitting")
CHANNEL_KEYS = ("name", "issued", "spoilt", "unused", "returned", "explanation")
BALLOT_KEYS = ("ranking", "marks", "count", "channel")

Path_ = tuple[Any, ...]


@dataclasses.dataclass(slots=True)
class _Doc:
    """The problems found so far: located ones (met while reading) and ones named by a value's path,
    which `located` places at a line and column once validation is over."""

    path: str
    text: str = ""
    problems: list[Problem] = dataclasses.field(default_factory=list)
    pending: list[tuple[Path_, bool, str]] = dataclasses.field(default_factory=list)  # path, at its key, message

    def problem(self, path: Path_, message: str, key: bool = False) -> None:
        self.pending.append((tuple(path), key, message))

    def located(self) -> list[Problem]:
        """Every problem at its place, sorted; problems about a value whose tag was refused, or that could not
        be read, are dropped (the refusal already says what is wrong there)."""
        out = list(self.problems)
        if self.pending:
            marks = yaml_read.locate(self.text, (p for p, _, _ in self.pending))
            for path, key, message in self.pending:
                if any(path[:k] in marks.refused for k in range(len(path) + 1)):
                    continue
                line, col = _where(marks, path, key)
                out.append(Problem(self.path, line, col, message))
        return sorted(out, key=lambda p: (p.line or 0, p.column or 0))


def _where(marks: yaml_read.Marks, path: Path_, key: bool) -> tuple[int | None, int | None]:
    if key and path in marks.keys:
        return marks.keys[path]
    p = path
    while p:  # a missing key is reported where its parent is
        if p in marks.values:
            return marks.values[p]
        p = p[:-1]
    return marks.values.get((), (None, None))


# ---------------------------------------------------------------------------------------------
# reading: bytes -> plain values


_ARTICLE = re.compile(r"^(a|an|the) ")
MAX_EXPLANATION = 2000  # a returning officer's explanation of a variance: a few sentences

_TOO_LARGE = (f"the file is larger than {MAX_BYTES // 1_000_000} MB, too large for a contest file; write repeated "
              "papers once with 'count:', or keep the ballots in a .blt file.")


def read_contest_bytes(path: Path) -> bytes:
    """A contest file's bytes, or ContestError (a pipe, a folder, too large, unreadable)."""
    try:
        return read_named_file(path, MAX_BYTES, "a contest file", hint="; give the .yaml file", too_large=_TOO_LARGE)
    except FileRefused as exc:
        raise ContestError.at(str(path), None, None, str(exc)) from None


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_C0_BYTES = bytes([*range(1, 9), 11, 12, *range(14, 32), 127])
_NOT_C0 = bytes(b for b in range(256) if b not in _C0_BYTES)


def _may_hold_controls(data: bytes) -> bool:
    """A quick look at the UTF-8 bytes for what _CONTROL finds (a C0 or DEL byte, a C1 character, U+FFFE/F):
    bytes.translate and find run at memory speed, the character regex is only needed to place one."""
    return bool(data.translate(None, _NOT_C0)) or b"\xc2" in data and re.search(b"\xc2[\x80-\x9f]", data) is not None \
        or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise ContestError.at(name, None, None, _TOO_LARGE)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ContestError.at(name, 1, 1, "the file is UTF-16 text; save it as UTF-8 and try again.")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ContestError.at(name, line, None, "this is a binary file, not a contest file; give the .yaml text "
                                                "file written as docs/contest-format.md describes.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContestError.at(name, line, col, "the file is not UTF-8 text; save it as UTF-8 and try again.") \
            from None
    bad = _CONTROL.search(text) if _may_hold_controls(data) else None
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise ContestError.at(name, line, col, f"the file contains a control character (U+{ord(bad.group()):04X}); "
                                               "remove it, or save the file again as plain UTF-8 text.")
    return text


def _read_yaml(doc: _Doc) -> Any:
    try:
        root, located = yaml_read.build(doc.text)
    except yaml_read.YamlRefused as exc:
        raise ContestError.at(doc.path, exc.line, exc.column, exc.message) from None
    except RecursionError:
        raise ContestError.at(doc.path, None, None, "the file is nested too deeply to be a contest file.") from None
    doc.problems.extend(Problem(doc.path, p.line, p.column, p.message) for p in located)
    return root


# ---------------------------------------------------------------------------------------------
# validation: plain values -> Contest


def _suggest(word: Any, choices: tuple[str, ...] | list[str]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _kind_name(v: Any) -> str:
    if v is None:
        return "nothing"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int):
        return "a number"
    if isinstance(v, float):
        return "a decimal number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _plain_ballot(item: Any, form: str, index: dict[str, int], ncand: int, seats: int,
                  channel_names: tuple[str, ...]) -> BallotSpec | None:
    """A ballot entry with nothing to report, read without the per-value checks (a file may hold a million);
    None when anything about it is unusual, so the careful path reads it and reports what is wrong."""
    if type(item) is not dict or len(item) > 3:
        return None
    marks = item.get(form)
    if type(marks) is not list or not marks or (form == "marks" and len(marks) > seats):
        return None
    chosen = []
    for m in marks:
        t = type(m)
        if t is str:
            c = index.get(m)
            if c is None:
                return None
        elif t is int and 1 <= m <= ncand:
            c = m - 1
        else:
            return None
        chosen.append(c)
    if len(set(chosen)) != len(chosen):
        return None
    count, channel = 1, None
    for key, v in item.items():
        if key == form:
            continue
        if key == "count":
            if type(v) is not int or not 1 <= v <= MAX_WEIGHT:
                return None
            count = v
        elif key == "channel":
            if v is not None and (type(v) is not str or v not in channel_names):
                return None
            channel = v or None
        else:
            return None
    return BallotSpec(tuple(chosen), count, channel)


class _NotFast(Exception):
    """The ballots section is not one the line reader is sure of: read the whole file the careful way."""


class _Validator:
    def __init__(self, doc: _Doc, fast: yaml_ballots.Section | None = None):
        self.doc = doc
        self.problem = doc.problem
        self.fast = fast  # the ballots section cut out of the text, read by yaml_ballots

    # typed getters: each reports a problem and returns a safe default

    def keys(self, node: dict[str, Any], path: Path_, allowed: tuple[str, ...], what: str) -> None:
        for key in node:
            if key not in allowed:
                self.problem(path + (key,), f"unknown key {key!r} in {what}{_suggest(key, allowed)}; "
                                            f"allowed keys are: {', '.join(allowed)}.", key=True)

    def mapping(self, value: Any, path: Path_, what: str) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.problem(path, f"{what} must be a mapping of 'key: value' lines, not {_kind_name(value)}.")
        return None

    def seq(self, value: Any, path: Path_, what: str) -> list[Any] | None:
        if isinstance(value, list):
            return value
        self.problem(path, f"{what} must be a list (lines starting with '- '), not {_kind_name(value)}.")
        return None

    def text(self, value: Any, path: Path_, what: str, required: bool = False, limit: int = MAX_NAME,
             key: bool = False) -> str:
        """Text a person wrote (a name, a title, a heading): plain characters only (see contest/names.py)."""
        if value is None:
            if required:
                self.problem(path, f"{what} is missing; add it.")
            return ""
        if isinstance(value, datetime.date):
            return value.isoformat()
        if not isinstance(value, str):
            self.problem(path, f"{what} must be text, not {_kind_name(value)}; put it in quotes.")
            return ""
        if required and not value.strip():
            self.problem(path, f"{what} is empty; write it out.")
        bad = name_problem(value, _ARTICLE.sub("", what), limit)
        if bad is not None:
            self.problem(path, bad + ".", key=key)
            return ""
        return value

    def distinct(self, entries: list[tuple[str, Path_]], what: str) -> None:
        """Refuse two names that read the same although written differently: a letter from another alphabet
        (Cyrillic "а" for "a"), another case, other spacing (see names.skeleton). Names written exactly alike
        are reported by each section in its own words."""
        seen: dict[str, tuple[str, int]] = {}
        for i, (name, path) in enumerate(entries):
            if not name:
                continue
            key = skeleton(name)
            if key in seen and seen[key][0] != name:
                first, j = seen[key]
                self.problem(path, f"the {what} {quoted(name)} reads the same as {what} {j + 1}, {quoted(first)}, "
                                   "but is written differently (a letter from another alphabet, or another case or "
                                   f"spacing); give each {what} a name that reads differently.")
            else:
                seen.setdefault(key, (name, i))

    def whole(self, value: Any, path: Path_, what: str, minimum: int = 0, maximum: int | None = None,
              default: int = 0) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            digits = digits_problem(value)
            if digits is not None:
                self.problem(path, f"{what} {quoted(value)} {digits}.")
            else:
                self.problem(path, f"{what} must be a whole number, not {_kind_name(value)}.")
            return default
        if value < minimum:
            self.problem(path, f"{what} is {value}; it cannot be less than {minimum}.")
            return default
        if maximum is not None and value > maximum:
            self.problem(path, f"{what} is {figure(value)}; it cannot be more than {figure(maximum)}.")
            return default
        return value

    def flag(self, value: Any, path: Path_, what: str) -> bool:
        if not isinstance(value, bool):
            self.problem(path, f"{what} must be true or false, not {_kind_name(value)}.")
            return False
        return value

    # the contest

    def contest(self, root: Any) -> Contest | None:
        if not isinstance(root, dict):
            self.problem((), "a contest file must be a mapping of 'key: value' lines starting with "
                             f"'format: {FORMAT}/{FORMAT_MAJOR}', not {_kind_name(root)}.")
            return None
        self.keys(root, (), TOP_KEYS, "the contest")
        self.format(root.get("format"))
        kind = root.get("kind", "election")
        if kind not in KINDS:
            self.problem(("kind",), f"kind {kind!r} is not known{_suggest(kind, KINDS)}; use one of: "
                                    f"{', '.join(KINDS)}.")
            kind = "election"
        texts = {k: self.text(root.get(k), (k,), k, required=(k == "title")) for k in TEXT_KEYS}
        tellers = self.tellers(root.get("tellers"))
        rule, seats, options = self.method(root.get("method"), kind)
        candidates = self.candidates(root.get("candidates"), kind)
        names = tuple(c.name for c in candidates)
        if kind == "election" and rule not in ("motion", "trigger") and candidates:
            if seats > len(candidates):
                self.problem(("method", "seats"), f"{seats} places but only {len(candidates)} candidates; "
                                                  "lower seats or add the missing candidates.")
        constraints = self.constraints(root.get("constraints"), candidates, seats)
        channels = self.channels(root.get("channels"))
        headings = self.headings(root.get("rejection_headings"))
        rejected = self.rejected(root.get("rejected"), headings)
        ballots = self.ballots(root.get("ballots"), rule, seats, names, channels)
        papers = sum(b.count for b in ballots) + sum(rejected.values())
        if papers > MAX_PAPERS:
            self.problem(("ballots",) if "ballots" in root else ("rejected",),
                         f"the papers counted and rejected add up to {figure(papers)}, more than the "
                         f"{figure(MAX_PAPERS)} a contest can hold; check the 'count:' and 'rejected:' figures.")
        extra = {}
        for section in KIND_SECTIONS:
            if section in root:
                extra[section] = self.kind_section(section, root[section], names)
        if self.doc.problems or self.doc.pending:
            return None
        return Contest(
            title=texts["title"], rule=rule, seats=seats, candidates=candidates, kind=kind,
            organisation=texts["organisation"], position=texts["position"], date=texts["date"],
            venue=texts["venue"], returning_officer=texts["returning_officer"], tellers=tellers,
            rule_options=options, channels=channels, rejection_headings=headings, rejected=rejected,
            ballots=ballots, constraints=constraints, extra=extra, source=self.doc.path,
        )

    def format(self, value: Any) -> None:
        example = f"'format: {FORMAT}/{FORMAT_MAJOR}'"
        if value is None:
            self.problem(("format",), f"the file does not say its format; add {example} as the first line.")
            return
        m = re.fullmatch(rf"{FORMAT}/(\d+)(?:\.\d+)?", value) if isinstance(value, str) else None
        if not m:
            self.problem(("format",), f"format {value!r} is not a contest file format; write {example}.")
        elif int(m.group(1)) > FORMAT_MAJOR:
            self.problem(("format",), f"this file is {value}, newer than this OpenSel reads ({FORMAT}/"
                                      f"{FORMAT_MAJOR}); update OpenSel Desktop to open it.")
        elif int(m.group(1)) < 1:
            self.problem(("format",), f"format {value!r} is not a contest file format; write {example}.")

    def tellers(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        items = self.seq(value, ("tellers",), "tellers")
        if items is None:
            return ()
        tellers = tuple(self.text(t, ("tellers", i), "a teller's name", required=True) for i, t in enumerate(items))
        self.distinct([(t, ("tellers", i)) for i, t in enumerate(tellers)], "teller")
        return tellers

    def method(self, value: Any, kind: str) -> tuple[str, int, dict[str, object]]:
        path = ("method",)
        default_rule = kind if kind in ("motion", "trigger") else "av"
        if value is None:
            if kind == "election":
                self.problem(path, "the method is missing; add 'method:' with 'rule:' and 'seats:'.")
            return default_rule, 1, {}
        node = self.mapping(value, path, "method")
        if node is None:
            return default_rule, 1, {}
        self.keys(node, path, METHOD_KEYS, "method")
        rule = node.get("rule")
        if rule is None:
            self.problem(path, f"the method has no rule; add 'rule:' (one of {', '.join(KNOWN_RULES)}).")
            rule = default_rule
        elif rule not in KNOWN_RULES:
            self.problem(path + ("rule",), f"unknown rule {rule!r}{_suggest(rule, KNOWN_RULES)}; use one of: "
                                           f"{', '.join(KNOWN_RULES)}.")
            rule = ""  # already reported: no rule-specific checks below
        seats = 1
        if "seats" in node:
            seats = self.whole(node["seats"], path + ("seats",), "seats", minimum=1, maximum=MAX_SEATS, default=1)
        elif kind == "election" and rule and FACTS[rule].needs_seats:
            self.problem(path, f"the rule {rule} needs the number of places; add 'seats:'.")
        if rule in SINGLE_SEAT_RULES and seats != 1:
            other = "block" if rule == "fptp" else "scottish or ers97"
            self.problem(path + ("seats",), f"the rule {rule} fills one place, not {seats}; set seats: 1 or use "
                                            f"{other}.")
        options: dict[str, object] = {}
        if node.get("options") is not None:
            opts = self.mapping(node["options"], path + ("options",), "method options")
            if opts is not None:
                for k, v in opts.items():
                    if not isinstance(k, str):
                        self.problem(path + ("options", k), f"option name {k!r} must be a word.", key=True)
                    elif isinstance(v, float):
                        self.problem(path + ("options", k), f"option {k} is a decimal number; counts are exact, "
                                                            f"so write it as a fraction in quotes, e.g. '1/2'.")
                    else:
                        options[k] = v
        return rule, seats, options

    def candidates(self, value: Any, kind: str) -> tuple[CandidateSpec, ...]:
        path = ("candidates",)
        if value is None:
            if kind == "election":
                self.problem((), "the contest has no candidates; add a 'candidates:' list in ballot order.")
            return ()
        items = self.seq(value, path, "candidates")
        if items is None:
            return ()
        if not items and kind == "election":
            self.problem(path, "the candidates list is empty; list the candidates in ballot order.")
        if len(items) > MAX_CANDIDATES:
            self.problem(path, f"the contest lists {figure(len(items))} candidates, more than the "
                               f"{figure(MAX_CANDIDATES)} a ballot paper can hold.")
            return ()
        out: list[CandidateSpec] = []
        seen: dict[str, int] = {}
        hotkeys: dict[str, int] = {}
        for i, item in enumerate(items):
            p = path + (i,)
            if isinstance(item, str):  # shorthand: "- Siân Evans"
                item = {"name": item}
            node = self.mapping(item, p, f"candidate {i + 1}")
            if node is None:
                continue
            self.keys(node, p, CANDIDATE_KEYS, f"candidate {i + 1}")
            name = self.text(node.get("name"), p + ("name",), f"candidate {i + 1}'s name", required=True)
            if name != name.strip():
                self.problem(p + ("name",), f"candidate name {name!r} starts or ends with spaces; remove them.")
            if name in seen:
                self.problem(p + ("name",), f"{name!r} is listed twice (also candidate {seen[name] + 1}); give each "
                                            "candidate once, with a distinct name.")
            elif name:
                seen[name] = i
            categories: dict[str, str] = {}
            if node.get("categories") is not None:
                cats = self.mapping(node["categories"], p + ("categories",), "categories")
                for k, v in (cats or {}).items():
                    if not isinstance(k, str) or isinstance(v, bool) or not isinstance(v, str | int):
                        self.problem(p + ("categories", k), "a category must be 'name: value' in plain words, "
                                                            "e.g. 'gender: woman'.")
                    elif self.text(k, p + ("categories", k), "category name", key=True) and \
                            self.text(str(v), p + ("categories", k), "category value"):
                        categories[k] = str(v)
            withdrawn = False
            if "withdrawn" in node:
                withdrawn = self.flag(node["withdrawn"], p + ("withdrawn",), "withdrawn")
            hotkey = None
            if node.get("hotkey") is not None:
                hk = node["hotkey"]
                if not isinstance(hk, str) or len(hk) != 1 or not hk.isalpha():
                    self.problem(p + ("hotkey",), f"hotkey must be a single letter, not {hk!r}.")
                elif hk.upper() in hotkeys:
                    self.problem(p + ("hotkey",), f"hotkey {hk!r} is already used by candidate "
                                                  f"{hotkeys[hk.upper()] + 1}; choose another letter.")
                else:
                    hotkeys[hk.upper()] = i
                    hotkey = hk.upper()
            out.append(CandidateSpec(name, categories, withdrawn, hotkey))
        self.distinct([(c.name, path + (i, "name")) for i, c in enumerate(out)], "candidate")
        return tuple(out)

    def constraints(self, value: Any, candidates: tuple[CandidateSpec, ...], seats: int) -> tuple[Constraint, ...]:
        path = ("constraints",)
        if value is None:
            return ()
        items = self.seq(value, path, "constraints")
        out = []
        for i, item in enumerate(items or []):
            p = path + (i,)
            node = self.mapping(item, p, f"constraint {i + 1}")
            if node is None:
                continue
            self.keys(node, p, CONSTRAINT_KEYS, f"constraint {i + 1}")
            category = self.text(node.get("category"), p + ("category",), "the constraint's category", True)
            raw_value = node.get("value")
            val = str(raw_value) if isinstance(raw_value, int) and not isinstance(raw_value, bool) else \
                self.text(raw_value, p + ("value",), "the constraint's value", True)
            minimum = self.whole(node.get("min", 0), p + ("min",), "min", 0, MAX_SEATS)
            maximum = None
            if node.get("max") is not None:
                maximum = self.whole(node["max"], p + ("max",), "max", 0, MAX_SEATS)
            sitting = self.whole(node.get("sitting", 0), p + ("sitting",), "sitting", 0, 100_000)
            if maximum is not None and minimum > maximum:
                self.problem(p, f"min {minimum} is more than max {maximum}; correct one of them.")
            matching = [c for c in candidates if c.categories.get(category) == val and not c.withdrawn]
            needed = max(0, minimum - sitting)
            if category and val and needed > len(matching):
                self.problem(p, f"at least {needed} must be {category}: {val}, but only {len(matching)} standing "
                                f"candidate(s) are; add categories to the candidates or lower min.")
            elif needed > seats:
                self.problem(p, f"min {minimum} is more than the {seats} places; lower min.")
            out.append(Constraint(category, val, minimum, maximum, sitting))
        return tuple(out)

    def channels(self, value: Any) -> tuple[Channel, ...]:
        path = ("channels",)
        if value is None:
            return ()
        items = self.seq(value, path, "channels")
        out = []
        seen: set[str] = set()
        for i, item in enumerate(items or []):
            p = path + (i,)
            node = self.mapping(item, p, f"channel {i + 1}")
            if node is None:
                continue
            self.keys(node, p, CHANNEL_KEYS, f"channel {i + 1}")
            name = self.text(node.get("name"), p + ("name",), f"channel {i + 1}'s name", required=True)
            if name in seen:
                self.problem(p + ("name",), f"the channel {name!r} is listed twice; give each channel once.")
            seen.add(name)
            figures = {}
            for key in ("issued", "spoilt", "unused"):
                figures[key] = self.whole(node.get(key, 0), p + (key,), f"{key} papers ({name or i + 1})", 0,
                                          MAX_PAPERS)
            returned = None
            if node.get("returned") is not None:
                returned = self.whole(node["returned"], p + ("returned",), f"returned papers ({name or i + 1})", 0,
                                      MAX_PAPERS)
            if figures["spoilt"] + figures["unused"] > figures["issued"]:
                self.problem(p, f"the {name} account cannot reconcile: spoilt ({figures['spoilt']}) plus unused "
                                f"({figures['unused']}) is more than the {figures['issued']} papers issued; "
                                "check the figures.")
            explanation = self.text(node.get("explanation"), p + ("explanation",), "the explanation",
                                    limit=MAX_EXPLANATION)
            out.append(Channel(name, figures["issued"], figures["spoilt"], figures["unused"], returned,
                               explanation))
        self.distinct([(c.name, path + (i, "name")) for i, c in enumerate(out)], "channel")
        return tuple(out)

    def headings(self, value: Any) -> tuple[str, ...]:
        path = ("rejection_headings",)
        if value is None:
            return DEFAULT_HEADINGS
        items = self.seq(value, path, "rejection_headings")
        out: list[str] = []
        written: list[tuple[str, Path_]] = []
        for i, item in enumerate(items or []):
            h = self.text(item, path + (i,), "a rejection heading", required=True)
            if h in out:
                self.problem(path + (i,), f"the heading {h!r} is listed twice; keep one.")
            elif h:
                out.append(h)
                written.append((h, path + (i,)))
        self.distinct(written, "heading")
        return tuple(out)

    def rejected(self, value: Any, headings: tuple[str, ...]) -> dict[str, int]:
        path = ("rejected",)
        if value is None:
            return {}
        node = self.mapping(value, path, "rejected")
        out: dict[str, int] = {}
        for k, v in (node or {}).items():
            if k not in headings:
                self.problem(path + (k,), f"{k!r} is not one of the rejection headings{_suggest(k, headings)}; "
                                          "use a heading from rejection_headings.", key=True)
                continue
            out[k] = self.whole(v, path + (k,), f"papers rejected as {k!r}", 0, MAX_PAPERS)
        return out

    def ballots(self, value: Any, rule: str, seats: int, names: tuple[str, ...],
                channels: tuple[Channel, ...]) -> tuple[BallotSpec, ...]:
        path = ("ballots",)
        form = "marks" if rule in MARK_RULES else "ranking"
        if self.fast is not None:
            if self.doc.problems or self.doc.pending or not rule or rule in NO_BALLOT_RULES or not names:
                raise _NotFast  # the careful path reports everything, in order
            specs = yaml_ballots.read(self.fast, form, names, seats, tuple(c.name for c in channels))
            if specs is None:
                raise _NotFast
            return specs
        if value is None:
            return ()
        items = self.seq(value, path, "ballots")
        if items and rule in NO_BALLOT_RULES:
            where = "rounds" if rule == "exhaustive" else "trigger"
            self.problem(path, f"the rule {rule} takes its figures from '{where}:', not from ballots; remove "
                               "'ballots:'.")
            return ()
        channel_names = tuple(c.name for c in channels)
        index = {n: i for i, n in enumerate(names)}
        out = []
        for i, item in enumerate(items or []):
            spec = _plain_ballot(item, form, index, len(names), seats, channel_names)
            if spec is None:  # something to report, or written unusually: the careful path says what
                spec = self.ballot(item, path + (i,), i, rule, form, seats, names, index, channel_names)
            if spec is not None:
                out.append(spec)
        return tuple(out)

    def ballot(self, item: Any, p: Path_, i: int, rule: str, form: str, seats: int, names: tuple[str, ...],
               index: dict[str, int], channel_names: tuple[str, ...]) -> BallotSpec | None:
        """One ballot entry, every problem in it reported."""
        node = self.mapping(item, p, f"ballot entry {i + 1}")
        if node is None:
            return None
        self.keys(node, p, BALLOT_KEYS, f"ballot entry {i + 1}")
        other = "ranking" if form == "marks" else "marks"
        if not rule and form not in node and other in node:
            form, other = other, form  # the rule is unknown (already reported): read either kind of paper
        if other in node and form not in node:
            kind = "X-votes ('marks:')" if form == "marks" else "rankings ('ranking:')"
            self.problem(p + (other,), f"the rule {rule} counts {kind}; write '{form}:' instead of "
                                       f"'{other}:'.", key=True)
            return None
        if form not in node:
            self.problem(p, f"ballot entry {i + 1} has no '{form}:'; add the list of candidates marked.")
            return None
        marks = self.seq(node[form], p + (form,), form)
        if marks is None:
            return None
        chosen: list[int] = []
        for j, m in enumerate(marks):
            q = p + (form, j)
            if isinstance(m, int) and not isinstance(m, bool):
                if not 1 <= m <= len(names):
                    self.problem(q, f"there is no candidate number {m}; numbers run from 1 to {len(names)} "
                                    "in ballot order.")
                    continue
                c = m - 1
            elif isinstance(m, str) and m in index:
                c = index[m]
            else:
                self.problem(q, f"{quoted(m)} is not a candidate{_suggest(m, names)}; use a name from "
                                "'candidates:' or its number in ballot order.")
                continue
            if c in chosen:
                self.problem(q, f"{names[c]!r} appears twice on this paper; each candidate may be marked once.")
                continue
            chosen.append(c)
        if not marks:
            self.problem(p + (form,), "an empty paper is unmarked: record it under 'rejected:' "
                                      "(unmarked), not as a ballot.")
        if form == "marks" and len(marks) > seats:
            self.problem(p + (form,), f"this paper has {len(marks)} X-votes but there are only {seats} "
                                      "place(s); it is void (too many votes): record it under 'rejected:'.")
        count = 1
        if "count" in node:
            count = self.whole(node["count"], p + ("count",), "count", 1, MAX_WEIGHT, default=1)
        channel = None
        if node.get("channel") is not None:
            channel = self.text(node["channel"], p + ("channel",), "channel")
            if channel and channel not in channel_names:
                hint = _suggest(channel, channel_names) if channel_names else ""
                self.problem(p + ("channel",), f"there is no channel {quoted(channel)}{hint}; use a name from "
                                               "'channels:'.")
        return BallotSpec(tuple(chosen), count, channel)

    def kind_section(self, section: str, node: Any, names: tuple[str, ...]) -> Any:
        def report(node_path: tuple[Any, ...], message: str) -> None:
            self.problem((section, *tuple(node_path)), message)

        try:
            return kinds.validate_section(section, node, names, report)
        except Exception as exc:  # noqa: BLE001 - a hostile section must still end as one clear problem
            self.problem((section,), f"the {section} section could not be read ({exc}); see "
                                     "docs/contest-format.md.")
            return None


def _fast_contest(text: str, path: str) -> Contest | None:
    """The contest read with its ballots section taken line by line (yaml_ballots), or None when that is not
    certain to mean what the careful path would read: any problem, anything unusual, and the caller reads
    the whole file the careful way instead (which also reports what is wrong)."""
    section = yaml_ballots.split(text)
    if section is None:
        return None
    doc = _Doc(path, section.rest)
    try:
        root, located = yaml_read.build(section.rest)
    except (yaml_read.YamlRefused, RecursionError):
        return None
    if located or not isinstance(root, dict) or "ballots" not in root or root["ballots"] is not None:
        return None
    if yaml_read.locate(section.rest, [("ballots",)]).keys.get(("ballots",)) != (section.header_line, 1):
        return None  # `ballots:` on that line is not the top-level key (inside a quoted text, say)
    try:
        contest = _Validator(doc, section).contest(root)
    except (_NotFast, RecursionError):
        return None
    if contest is None or doc.problems or doc.pending:
        return None
    return contest


def parse_contest(data: bytes, path: str = "<contest>") -> Contest:
    """Validate a contest file's bytes; raises ContestError with every problem at once."""
    text = _decode(data, path)
    if not text.strip():
        raise ContestError.at(path, 1, 1, f"the file is empty; a contest file starts with 'format: {FORMAT}/"
                                          f"{FORMAT_MAJOR}' (see docs/contest-format.md).")
    with yaml_read.gc_paused():
        fast = _fast_contest(text, path)
    if fast is not None:
        return fast
    doc = _Doc(path, text)
    with yaml_read.gc_paused():
        root = _read_yaml(doc)
        if root is yaml_read.NO_DOCUMENT:
            raise ContestError.at(path, 1, 1, "the file holds no YAML document; see docs/contest-format.md.")
        try:
            contest = _Validator(doc).contest(root)
        except RecursionError:
            raise ContestError.at(path, None, None, "the file is nested too deeply to be a contest file.") \
                from None
    if doc.problems or doc.pending or contest is None:
        problems = doc.located()
        raise ContestError(problems or [Problem(path, None, None, "the contest could not be read.")])
    return contest


def load_contest(path: str | Path) -> Contest:
    """Read and validate a contest file (see docs/contest-format.md)."""
    p = Path(path)
    return parse_contest(read_contest_bytes(p), str(p))


# ---------------------------------------------------------------------------------------------
# writing


def _plain(value: Any) -> Any:
    """Kind sections may hold value types; write them as plain YAML data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    if isinstance(value, Fraction):
        return str(value)
    return value


def contest_to_plain(contest: Contest) -> dict[str, Any]:
    """The contest as plain data in the documented key order (what dump_contest writes)."""
    out: dict[str, Any] = {"format": f"{FORMAT}/{FORMAT_MAJOR}", "kind": contest.kind}
    for key in TEXT_KEYS:
        value = getattr(contest, key)
        if value or key == "title":
            out[key] = value
    if contest.tellers:
        out["tellers"] = list(contest.tellers)
    method: dict[str, Any] = {"rule": contest.rule, "seats": contest.seats}
    if contest.rule_options:
        method["options"] = _plain(dict(contest.rule_options))
    out["method"] = method
    cands = []
    for c in contest.candidates:
        entry: dict[str, Any] = {"name": c.name}
        if c.categories:
            entry["categories"] = dict(c.categories)
        if c.withdrawn:
            entry["withdrawn"] = True
        if c.hotkey:
            entry["hotkey"] = c.hotkey
        cands.append(entry)
    out["candidates"] = cands
    if contest.constraints:
        out["constraints"] = [{"category": k.category, "value": k.value, "min": k.minimum, "max": k.maximum,
                               "sitting": k.sitting} for k in contest.constraints]
    if contest.channels:
        chans = []
        for ch in contest.channels:
            entry = {"name": ch.name, "issued": ch.issued, "spoilt": ch.spoilt, "unused": ch.unused,
                     "returned": ch.returned}
            if ch.explanation:
                entry["explanation"] = ch.explanation
            chans.append(entry)
        out["channels"] = chans
    if tuple(contest.rejection_headings) != DEFAULT_HEADINGS:
        out["rejection_headings"] = list(contest.rejection_headings)
    if contest.rejected:
        out["rejected"] = dict(contest.rejected)
    if contest.ballots:
        form = "marks" if contest.rule in MARK_RULES else "ranking"
        names = contest.names
        ballots = []
        for b in contest.ballots:
            entry = {form: [names[c] for c in b.marks]}
            if b.count != 1:
                entry["count"] = b.count
            if b.channel:
                entry["channel"] = b.channel
            ballots.append(entry)
        out["ballots"] = ballots
    for section in KIND_SECTIONS:
        if section in contest.extra:
            out[section] = _plain(contest.extra[section])
    return out


class _Flow(list[Any]):
    """A short list of plain values, written on one line."""


class _FlowMap(dict[str, Any]):
    """A small mapping of plain values (a channel, a ballot entry), written on one line."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no types
    """Block style for the structure, flow style for short leaf lists and mappings (easy to read)."""


_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True))
_Dumper.add_representer(
    _FlowMap, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", dict(data).items(), flow_style=True))


def _styled(value: Any, depth: int) -> Any:
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return _Flow(value)
        return [_styled(v, depth + 1) for v in value]
    if isinstance(value, dict):
        inner = {k: _styled(v, depth + 1) for k, v in value.items()}
        if depth >= 2 and sum(len(str(k)) + len(str(v)) for k, v in value.items()) < 80:
            return _FlowMap(inner)
        return inner
    return value


def dump_contest(contest: Contest) -> str:
    """YAML text that load_contest reads back to an equal Contest (apart from `source`)."""
    plain = contest_to_plain(contest)
    ballots = plain.pop("ballots", None)
    tail = {k: plain.pop(k) for k in KIND_SECTIONS if k in plain}
    parts = [_dump(plain)]
    if ballots:
        parts.append(_ballot_lines(contest))
    if tail:
        parts.append(_dump(tail))
    return "".join(parts)


def _dump(data: dict[str, Any]) -> str:
    return str(yaml.dump(_styled(data, 0), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100,
                         default_flow_style=False))


def _flow_scalar(value: str | int) -> str:
    """One value as it is written inside a flow list or mapping, quoted where YAML needs it (asked of PyYAML
    itself, once per name: a file of 60,000 papers names the same few candidates over and over)."""
    text = str(yaml.dump([value], Dumper=_Dumper, allow_unicode=True, default_flow_style=True, width=1_000_000))
    return text.strip()[1:-1]


def _ballot_lines(contest: Contest) -> str:
    """The ballots section, one flow mapping per entry: PyYAML's emitter took 9 s for 60,000 entries, these
    lines take a fraction of a second (and what is written is read back before a file is replaced)."""
    form = "marks" if contest.rule in MARK_RULES else "ranking"
    names = [_flow_scalar(n) for n in contest.names]
    channels: dict[str, str] = {}
    lines = ["ballots:\n"]
    for b in contest.ballots:
        entry = f"- {{{form}: [{', '.join(names[c] for c in b.marks)}]"
        if b.count != 1:
            entry += f", count: {b.count}"
        if b.channel:
            if b.channel not in channels:
                channels[b.channel] = _flow_scalar(b.channel)
            entry += f", channel: {channels[b.channel]}"
        lines.append(entry + "}\n")
    return "".join(lines)
