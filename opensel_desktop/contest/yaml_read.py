"""Reading a contest file's YAML safely and fast: text -> plain values, with every value's place findable.

The text is parsed into YAML events by libyaml (the C parser PyYAML's wheels ship) when it is present,
by PyYAML's own parser otherwise; both give the same events, with the same line and column. The plain
values are built from those events here, not by PyYAML's composer and constructor: a contest file
needs plain data only (text, whole numbers, true/false, dates, lists, mappings), and building them
from events avoids PyYAML's pure-Python resolver and node objects, which took most of the time (a
5 MB file: 15 s before, well under 2 s now). What a contest file never needs is refused as it is met,
before anything can expand:

- tags other than the plain ones (`!!python/object`, `!!set`, `!custom`...);
- aliases: at most MAX_ALIASES uses, at most MAX_ALIAS_VALUES values reached through them (a "billion
  laughs" is refused after a few hundred values, never built), none to a value still being written;
- nesting deeper than MAX_DEPTH;
- duplicate keys, keys that are not plain words, numbers longer than MAX_DIGITS digits.

Plain scalars are typed exactly as PyYAML's safe loader types them (YAML 1.1: `yes` is true, `1984` a
number, `2026-11-25` a date), so a file means the same as it always did.

Places: building keeps no per-value marks (they cost most of the memory). The validator names a value
by its path, e.g. ("ballots", 12, "count"); when it reports problems, `locate` reads the events once more
and finds the line and column of just those paths.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from opensel_desktop.contest.limits import MAX_DIGITS

try:  # libyaml: in PyYAML's wheels for every platform we ship; the pure-Python parser gives the same events
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    _CParser = None

MAX_ALIASES = 100  # `*alias` uses; enough for any hand-written file, far too few for a "billion laughs"
MAX_ALIAS_VALUES = 100_000  # values reached through aliases, counted without expanding them
MAX_DEPTH = 64

Path = tuple[Any, ...]

_Y = "tag:yaml.org,2002:"
_STR, _INT, _SEQ, _MAP = _Y + "str", _Y + "int", _Y + "seq", _Y + "map"
_SCALAR_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_RESOLVERS = Resolver.yaml_implicit_resolvers
_CONSTRUCT = SafeConstructor()


class YamlRefused(Exception):
    """The file cannot be read at all (bad YAML, a bomb, too deep): one sentence at a line and column."""

    def __init__(self, line: int | None, column: int | None, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


@dataclass(frozen=True, slots=True)
class Located:
    """A problem found while building, already at its place (1-based line and column)."""

    line: int
    column: int
    message: str


def _parser(text: str, pure: bool = False) -> Any:
    if _CParser is not None and not pure:
        return _CParser(text)
    return yaml.BaseLoader(text)  # Reader + Scanner + Parser: the same events, in Python


def _at(mark: Any) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"  # a 100,000-character value: not all of it


class _Bad:
    """A scalar that cannot be read, kept (and cached) with its sentence."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def _typed(tag: str, value: str) -> Any:
    """The plain value of a scalar with a resolved or explicit safe tag, or _Bad."""
    if tag == _STR:
        return value
    if tag in (_INT, _Y + "float") and sum(ch.isdigit() for ch in value) > MAX_DIGITS:
        return _Bad(f"the number {_short(value)!r} has more than {MAX_DIGITS} digits, more than any figure in a "
                    "contest can have; correct it (or put it in quotes if it is text).")
    if tag == _INT and value.isdigit() and value.isascii() and (value == "0" or value[0] != "0"):
        return int(value)
    try:
        return _CONSTRUCT.yaml_constructors[tag](_CONSTRUCT, ScalarNode(tag, value))
    except (yaml.YAMLError, ValueError, OverflowError, KeyError, TypeError):
        kind = tag.rsplit(":", 1)[-1]
        article = "an" if kind[:1] in "aeiou" else "a"
        return _Bad(f"{_short(value)!r} cannot be read as {article} {kind}; put it in quotes or correct it.")


def _plain_tag(value: str) -> str:
    """PyYAML's resolver for a plain (unquoted) scalar: the YAML 1.1 implicit types."""
    for tag, regexp in _RESOLVERS.get(value[:1] if value else "", ()):
        if regexp.match(value):
            return str(tag)
    return _STR


class _Open:
    """An anchor whose value is still being built: an alias to it would be a value inside itself."""


_OPEN = _Open()
_EXPECT_KEY = object()  # a mapping frame waiting for its next key
_SKIP = object()  # the value of a refused or duplicate key: read, then dropped
NO_DOCUMENT = object()  # what `build` returns for a file of comments and blank lines only


@dataclass(slots=True)
class Marks:
    """Where the wanted paths are: value marks, key marks, and which of them held a refused value."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    refused: set[Path] = field(default_factory=set)


class _Frame:
    __slots__ = ("container", "is_map", "pending", "anchor", "start", "is_key", "drop", "path", "want")

    def __init__(self, container: Any, is_map: bool, anchor: str | None, start: int, is_key: bool):
        self.container = container
        self.is_map = is_map
        self.pending: Any = _EXPECT_KEY
        self.anchor = anchor
        self.start = start
        self.is_key = is_key  # this container is itself written as a mapping key (refused)
        self.drop = False  # its tag was refused
        self.path: Path | None = None  # tracked frames only (when locating)
        self.want: dict[str, Any] | None = None


class _Builder:
    """One pass over the events. With `want` (a trie of paths), also records where those paths are."""

    def __init__(self, want: dict[str, Any] | None = None):
        self.problems: list[Located] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.cache: dict[str, Any] = {}  # plain scalar text -> its value (names repeat on every paper)
        self.built = 0
        self.alias_uses = 0
        self.alias_values = 0
        self.want = want
        self.marks = Marks()

    # -- scalars

    def scalar(self, ev: Any) -> Any:
        tag, value = ev.tag, ev.value
        if tag is None or tag == "!":
            if not ev.implicit[0]:
                return value  # quoted: always text
            if value[:1] not in _RESOLVERS and value:
                return value  # no implicit type starts with this character: text
            got = self.cache.get(value, _EXPECT_KEY)
            if got is _EXPECT_KEY:
                tag = _plain_tag(value)
                if tag not in _SCALAR_TAGS:  # `<<` (merge), `=` (value): YAML machinery, not data
                    return self.refuse_tag(ev, tag)
                got = _typed(tag, value)
                if len(self.cache) < 100_000:
                    self.cache[value] = got
        elif tag in _SCALAR_TAGS:
            got = _typed(tag, value)
        else:
            return self.refuse_tag(ev, tag)
        if got.__class__ is _Bad:
            line, col = _at(ev.start_mark)
            self.problems.append(Located(line, col, got.message))
            return None
        return got

    def refuse_tag(self, ev: Any, tag: str) -> None:
        line, col = _at(ev.start_mark)
        shown = tag.replace(_Y, "!!")
        self.problems.append(Located(line, col, f"the tag {_short(shown)} is not allowed in a contest file; remove it "
                                                "and write a plain value."))
        return None

    # -- the event loop

    def build(self, parser: Any) -> Any:
        try:
            return self._build(parser)
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose is not None:
                dispose()

    def _build(self, parser: Any) -> Any:
        get = parser.get_event
        stack: list[_Frame] = []
        root: Any = _EXPECT_KEY
        documents = 0
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        seq_start, map_start = yaml.SequenceStartEvent, yaml.MappingStartEvent
        seq_end, map_end = yaml.SequenceEndEvent, yaml.MappingEndEvent
        tracking = self.want is not None
        cache, resolvers, expect_key, skip = self.cache, _RESOLVERS, _EXPECT_KEY, _SKIP
        while True:
            ev = get()
            cls = ev.__class__
            if cls is scalar_event:
                self.built += 1
                top = stack[-1] if stack else None
                # the common case first, inline: an untagged, unanchored text or cached plain value in a list or
                # mapping (a ballot file is little else); anything else takes the general path below
                if not tracking and top is not None and ev.tag is None and ev.anchor is None:
                    value = ev.value
                    if ev.implicit[0] and (not value or value[:1] in resolvers):
                        value = cache.get(value, expect_key)
                    if value is not expect_key and value.__class__ is not _Bad:
                        if not top.is_map:
                            top.container.append(value)
                            continue
                        pending = top.pending
                        if pending is expect_key:
                            if value.__class__ is str and value not in top.container:
                                top.pending = value
                                continue
                        else:
                            if pending is not skip:
                                top.container[pending] = value
                            top.pending = expect_key
                            continue
                if top is not None and top.is_map and top.pending is expect_key:
                    self.scalar_key(top, ev)
                    continue
                before = len(self.problems)
                value = self.scalar(ev)
                if tracking:
                    self.track(top, ev, None, refused=len(self.problems) > before)
                if ev.anchor is not None:
                    self.anchor(ev, value, 1)
                if top is None:
                    root = value
                else:
                    self.attach(top, value)
            elif cls is seq_start or cls is map_start:
                self.built += 1
                if len(stack) > MAX_DEPTH:
                    raise YamlRefused(*_at(ev.start_mark), "the file is nested too deeply to be a contest file.")
                top = stack[-1] if stack else None
                is_map = cls is map_start
                is_key = top is not None and top.is_map and top.pending is expect_key
                if is_key:
                    self.bad_key(ev)
                frame = _Frame({} if is_map else [], is_map, ev.anchor, self.built, is_key)
                refused = ev.tag not in (None, "!", _MAP if is_map else _SEQ)
                if refused:
                    frame.drop = True  # read its events, then drop it: the value becomes nothing
                    if not is_key:
                        self.refuse_tag(ev, ev.tag)
                if tracking and not is_key:
                    self.track(top, ev, frame, refused=refused)
                if frame.anchor is not None:
                    self.anchor(ev, _OPEN, 0)
                stack.append(frame)
            elif cls is seq_end or cls is map_end:
                frame = stack.pop()
                value = None if frame.drop else frame.container
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, self.built - frame.start + 1)
                top = stack[-1] if stack else None
                if frame.is_key:  # a list or mapping written as a key: it and its value are dropped
                    top.pending = skip  # type: ignore[union-attr]
                elif top is None:
                    root = value
                elif not top.is_map:
                    top.container.append(value)
                else:
                    if top.pending is not skip:
                        top.container[top.pending] = value
                    top.pending = expect_key
            elif cls is alias_event:
                value = self.alias(ev)
                top = stack[-1] if stack else None
                if top is not None and top.is_map and top.pending is expect_key:
                    if isinstance(value, list | dict):
                        self.bad_key(ev)
                        top.pending = skip
                    else:
                        self.key(top, ev, value)
                    continue
                if tracking:
                    self.track(top, ev, None)
                if top is None:
                    root = value
                else:
                    self.attach(top, value)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlRefused(*_at(ev.start_mark), "this is not valid YAML (but found another document); "
                                                           "check the indentation, colons and quotes here.")
            elif cls is yaml.StreamEndEvent:
                return NO_DOCUMENT if root is _EXPECT_KEY else root
            # StreamStart, DocumentEnd: nothing to do

    def alias(self, ev: Any) -> Any:
        self.alias_uses += 1
        if self.alias_uses > MAX_ALIASES:
            raise YamlRefused(*_at(ev.start_mark), f"the file uses more than {MAX_ALIASES} YAML aliases (*name); "
                                                   "write the values out.")
        got = self.anchors.get(ev.anchor)
        if got is None:
            raise YamlRefused(*_at(ev.start_mark), f"this is not valid YAML (found undefined alias "
                                                   f"{_short(ev.anchor)!r}); check the indentation, colons and "
                                                   "quotes here.")
        value, size = got
        if value is _OPEN:
            raise YamlRefused(*_at(ev.start_mark), "a YAML alias here refers to itself; write the value out plainly.")
        self.alias_values += size
        self.built += size
        if self.alias_values > MAX_ALIAS_VALUES:
            raise YamlRefused(*_at(ev.start_mark), "the file expands to too many values (YAML aliases?); write the "
                                                   "contest out plainly.")
        return value

    def anchor(self, ev: Any, value: Any, size: int) -> None:
        if ev.anchor in self.anchors:
            raise YamlRefused(*_at(ev.start_mark), f"the anchor &{_short(ev.anchor)} is defined twice; give each "
                                                   "anchor its own name.")
        self.anchors[ev.anchor] = (value, size)

    def bad_key(self, ev: Any) -> object:
        line, col = _at(ev.start_mark)
        self.problems.append(Located(line, col, "a key must be a plain word or name; remove this key."))
        return _SKIP

    def scalar_key(self, top: _Frame, ev: Any) -> None:
        if ev.tag is None or ev.tag == "!":
            tag = _plain_tag(ev.value) if ev.implicit[0] else _STR
        else:
            tag = ev.tag
        if tag not in _SCALAR_TAGS:
            key: Any = self.bad_key(ev)
        else:
            before = len(self.problems)
            key = self.scalar(ev)
            if len(self.problems) > before:
                key = _SKIP
        if ev.anchor is not None:
            self.anchor(ev, None if key is _SKIP else key, 1)
        self.key(top, ev, key)

    def key(self, top: _Frame, ev: Any, key: Any) -> None:
        """A scalar (or alias) in key position: refuse duplicates; a refused key drops its value."""
        if key is _SKIP:
            top.pending = _SKIP
            return
        if isinstance(key, datetime.date):
            key = key.isoformat()
        if key in top.container:
            line, col = _at(ev.start_mark)
            shown = _short(key) if isinstance(key, str) else key
            self.problems.append(Located(line, col, f"the key {shown!r} appears twice here; keep only one."))
            top.pending = _SKIP
            return
        if top.path is not None and top.want is not None and key in top.want:
            self.marks.keys[top.path + (key,)] = _at(ev.start_mark)
        top.pending = key

    @staticmethod
    def attach(top: _Frame, value: Any) -> None:
        if not top.is_map:
            top.container.append(value)
            return
        if top.pending is not _SKIP:
            top.container[top.pending] = value
        top.pending = _EXPECT_KEY

    # -- locating (second pass only)

    def track(self, top: _Frame | None, ev: Any, frame: _Frame | None, refused: bool = False) -> None:
        """Record the mark of the value starting at `ev` when its path is wanted."""
        if top is None:
            path: Path = ()
            want = self.want
        else:
            if top.want is None or top.path is None:
                return
            if top.is_map:
                if top.pending is _SKIP:
                    return
                child = top.pending
            else:
                child = len(top.container)
            if child not in top.want:
                return
            path, want = top.path + (child,), top.want[child]
        self.marks.values[path] = _at(ev.start_mark)
        if refused:
            self.marks.refused.add(path)
        if frame is not None:
            frame.path, frame.want = path, want


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a file's values are built: they hold no cycles (an alias to a value
    still being built is refused), and collecting every few thousand new lists and mappings took a third of
    the time on large files."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build(text: str, pure: bool = False) -> tuple[Any, list[Located]]:
    """The file's plain values (NO_DOCUMENT when it holds none) and the problems met while building them.
    Raises YamlRefused when the file cannot be read at all. `pure` forces PyYAML's Python parser."""
    builder = _Builder()
    parser = _parser(text, pure)
    try:
        root = builder.build(parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = (exc.problem or exc.context or "unreadable YAML").rstrip(".")
        msg = f"this is not valid YAML ({what}); check the indentation, colons and quotes here."
        if mark is None:
            raise YamlRefused(None, None, msg) from None
        raise YamlRefused(mark.line + 1, mark.column + 1, msg) from None
    except yaml.YAMLError as exc:
        raise YamlRefused(None, None, f"this is not valid YAML ({exc}); check the file.") from None
    return root, builder.problems


def _trie(paths: Iterable[Path]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        for part in path:
            node = node.setdefault(part, {})
    return root


def locate(text: str, paths: Iterable[Path], pure: bool = False) -> Marks:
    """Where each of `paths` (and each of their prefixes) is in the file; read only after a build succeeded."""
    builder = _Builder(want=_trie(paths))
    builder.build(_parser(text, pure))
    return builder.marks
