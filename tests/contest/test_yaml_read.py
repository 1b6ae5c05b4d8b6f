"""The contest file's YAML reader (contest/yaml_read.py) means what PyYAML's safe loader means, finds every
value's place as PyYAML's composer does, and refuses what a contest file never needs while streaming."""

import datetime
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.contest import yaml_read
from opensel_desktop.contest.yaml_read import NO_DOCUMENT, YamlRefused, build, locate

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "resources" / "examples").glob("*.yaml"))
TRICKY = """\
format: opensel-contest/1
plain: [yes, No, on, ~, null, '', 0o17, 017, 0x1f, 1_000, 1:30, -12, +3, 1e3, .inf, -.nan, 2026-11-25]
quoted: ["yes", '1984', "2026-11-25", "a\\tb"]
2026-01-02: date key
1: number key
false: bool key
block: |
  two
  lines
folded: >
  one
  line
? complex
: value
anchored: &x {a: [1, 2], b: c}
again: *x
empty:
"""


def _bomb() -> str:
    lines = ["c0: &c0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"c{i}: &c{i} [{', '.join([f'*c{i - 1}'] * 10)}]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


BOMB = _bomb()


def normalised(value):
    """safe_load's value as our reader gives it: date keys become their ISO text."""
    if isinstance(value, dict):
        return {(k.isoformat() if isinstance(k, datetime.date) else k): normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    return value


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True  # nan
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("text", [TRICKY] + [p.read_text(encoding="utf-8") for p in EXAMPLES])
@pytest.mark.parametrize("pure", [False, True])
def test_values_are_what_the_safe_loader_reads(text, pure):
    root, problems = build(text, pure=pure)
    assert problems == []
    assert same(root, normalised(yaml.safe_load(text)))


def paths_and_marks(node, path=()):
    """Every value's path with its node's start (1-based), as PyYAML's composer places it."""
    yield path, (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            yield from paths_and_marks(child, path + (i,))
    elif isinstance(node, yaml.MappingNode):
        loader = yaml.SafeLoader("")
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            key = key.isoformat() if isinstance(key, datetime.date) else key
            yield from paths_and_marks(value_node, path + (key,))


@pytest.mark.parametrize("text", [TRICKY] + [p.read_text(encoding="utf-8") for p in EXAMPLES])
def test_every_place_is_where_the_composer_puts_it(text):
    expected = dict(paths_and_marks(yaml.compose(text, Loader=yaml.SafeLoader)))
    expected = {p: m for p, m in expected.items() if "again" not in p}  # an alias's inside is the anchor's
    marks = locate(text, list(expected))
    assert {p: marks.values[p] for p in expected} == expected


def test_keys_are_located_and_missing_paths_are_not():
    marks = locate("format: x\nmethod:\n  rule: av\n", [("method", "rule"), ("method", "seats"), ("nope",)])
    assert marks.values[("method", "rule")] == (3, 9) and ("method", "seats") not in marks.values
    assert marks.keys[("method", "rule")] == (3, 3)


@pytest.mark.parametrize("text, where, message", [
    (BOMB, None, "too many values"),
    ("a: &a [*a]\n", (1, 8), "refers to itself"),
    ("a: *nothing\n", (1, 4), "undefined alias"),
    ("a: &x 1\nb: &x 2\n", (2, 4), "the anchor &x is defined twice"),
    ("a: [" + "*x, " * 101 + "]\n", None, "more than 100 YAML aliases"),
    ("a: " + "[" * 65 + "]" * 65 + "\n", (1, 68), "nested too deeply"),
    ("a: 1\n---\nb: 2\n", (2, 1), "found another document"),
    ("a: [1, 2\n", None, "not valid YAML"),
])
def test_files_that_cannot_be_read_are_refused_at_a_place(text, where, message):
    if "*x" in text:
        text = "x: &x 1\n" + text
    with pytest.raises(YamlRefused) as err:
        build(text)
    assert message in err.value.message
    if where is not None:
        assert (err.value.line, err.value.column) == where


@pytest.mark.parametrize("text, where, message", [
    ("a: !!python/object/apply:os.system [ls]\n", (1, 4), "the tag !!python/object/apply:os.system is not allowed"),
    ("a: !!set {x: null}\n", (1, 4), "the tag !!set is not allowed"),
    ("a: !custom 1\n", (1, 4), "the tag !custom is not allowed"),
    ("a: 1\na: 2\n", (2, 1), "the key 'a' appears twice"),
    ("? [x, y]\n: 1\n", (1, 3), "a key must be a plain word"),
    ("<<: {a: 1}\n", (1, 1), "a key must be a plain word"),
    ("a: " + "9" * 5000 + "\n", (1, 4), "has more than 20 digits"),
    ("a: 2026-13-45\n", (1, 4), "cannot be read as a timestamp"),
    ("a: !!int nine\n", (1, 4), "cannot be read as an int"),
    ("a: =\n", (1, 4), "the tag !!value is not allowed"),
])
def test_values_a_contest_never_needs_are_problems_at_their_place(text, where, message):
    _, problems = build(text)
    assert [((p.line, p.column), message in p.message) for p in problems] == [(where, True)], problems


def test_an_empty_stream_has_no_document():
    assert build("# only a comment\n")[0] is NO_DOCUMENT
    assert build("---\n")[0] is None


def test_an_alias_bomb_is_refused_before_it_expands():
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 10)]
    start = time.process_time()
    with pytest.raises(YamlRefused, match="too many values|aliases"):
        build("\n".join(lines) + "\n")
    assert time.process_time() - start < 1


def test_the_pure_python_parser_is_a_clean_fallback(monkeypatch):
    monkeypatch.setattr(yaml_read, "_CParser", None)
    text = TRICKY
    assert same(build(text)[0], normalised(yaml.safe_load(text)))
    with pytest.raises(YamlRefused, match="nested too deeply"):
        build("a: " + "[" * 10_000 + "]" * 10_000)


SPLICE = ["&a ", "*a", "!!python/object:os.system ", "- ", ": ", "{", "]", "'", '"', "\n", "  ", "-1", "~",
          "<<: *a", "? ", "|", ">", "&b [*a]", "2026-13-45", "0x", "1_0", "\t", "#"]


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_mean_what_the_safe_loader_says_or_are_refused(data):
    text = data.draw(st.sampled_from([TRICKY] + [p.read_text(encoding="utf-8")[:1500] for p in EXAMPLES]))
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:pos] + data.draw(st.sampled_from(SPLICE)) + text[pos:]
        else:
            text = text[:pos] + text[pos + data.draw(st.integers(1, 30)):]
    try:  # the oracle: PyYAML's safe loader on libyaml's parser (what contest files were read with before)
        expected = normalised(yaml.load(text, Loader=yaml.CSafeLoader))
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, KeyError, RecursionError):
        expected = yaml_read  # safe_load fails: we must not return plain values without a problem
    try:
        root, problems = build(text)
    except YamlRefused:
        return
    if problems:
        return
    assert expected is not yaml_read, text
    assert same(root, expected), text
