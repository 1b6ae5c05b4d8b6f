"""The line reader of the ballots section (contest/yaml_ballots.py) gives exactly what the careful YAML path
gives, or gives up: generated sections in every style it reads, and many it must not read, are compared."""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.contest import yaml_ballots, yaml_io
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.yaml_io import parse_contest

NAMES = ["Ann Smith", "yes", "1984", "a: b", "[x]", "Siân Evans", "O'Neil", "#c", "&a", "-x", "x - y", "Null",
         "Tom, Jones", 'Say "hi"', "Łukasz", "1", "~", "Bob  Two"]
CHANNELS = ["in-room", "postal", "on", "a, b"]


def careful(text: str):
    """What the file means read the careful way only (the line reader switched off)."""
    real = yaml_ballots.split
    yaml_ballots.split = lambda _text: None
    try:
        return outcome(text)
    finally:
        yaml_ballots.split = real


def outcome(text: str):
    try:
        return parse_contest(text.encode("utf-8"), "c.yaml")
    except ContestError as exc:
        return [str(p) for p in exc.problems]


def quoted(value: str, style: str | None) -> str:
    return yaml.dump([value], default_flow_style=True, default_style=style, allow_unicode=True,
                     width=10_000).strip()[1:-1]


@st.composite
def contest_text(draw):
    ranked = draw(st.booleans())
    names = draw(st.lists(st.sampled_from(NAMES), min_size=2, max_size=6, unique=True))
    channels = draw(st.lists(st.sampled_from(CHANNELS), max_size=2, unique=True))
    seats = draw(st.integers(1, len(names) - 1))
    rule = "scottish" if ranked else "block"
    head = [
        "format: opensel-contest/1", "title: T", f"method: {{rule: {rule}, seats: {seats}}}",
        "candidates: [" + ", ".join(quoted(n, "'") for n in names) + "]",
    ]
    if channels:
        head.append("channels: [" + ", ".join(f"{{name: {quoted(c, None)}, issued: 0}}" for c in channels) + "]")
    form = "ranking" if ranked else "marks"
    indent = " " * draw(st.sampled_from([0, 2, 4]))
    lines = ["ballots:" + draw(st.sampled_from(["", "  # papers", " "]))]
    for _ in range(draw(st.integers(1, 6))):
        k = draw(st.integers(1, len(names) if ranked else seats))
        chosen = draw(st.permutations(range(len(names))))[:k]
        tokens = []
        for c in chosen:
            how = draw(st.sampled_from(["plain", "'", '"', "number"]))
            tokens.append(str(c + 1) if how == "number" else quoted(names[c], None if how == "plain" else how))
        if draw(st.integers(0, 20)) == 0:  # now and then something the line reader must refuse to guess
            tokens[0] = draw(st.sampled_from(["Nobody", "0", "99", "*a", "!!str x", "[]", "yes"]))
        parts = [f"{form}: [{', '.join(tokens)}]"]
        if draw(st.booleans()):
            parts.append(f"count: {draw(st.sampled_from(['1', '12', '10000000', '10000001', '0', '-2', '012']))}")
        if channels and draw(st.booleans()):
            parts.append(f"channel: {quoted(draw(st.sampled_from(channels)), draw(st.sampled_from([None, chr(39)])))}")
        parts = draw(st.permutations(parts))
        if draw(st.booleans()):
            lines.append(f"{indent}- {{{', '.join(parts)}}}" + draw(st.sampled_from(["", "  ", " # note"])))
        else:
            lines.append(f"{indent}- {parts[0]}")
            lines += [f"{indent}  {p}" for p in parts[1:]]
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", f"{indent}# a comment", "   ", "  - ", "-"])))
    tail = draw(st.sampled_from(["", "rejected: {unmarked: 1}\n", "venue: Hall\n", "---\nx: 1\n"]))
    text = "\n".join(head + lines) + "\n" + tail
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text


@settings(max_examples=400, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(contest_text())
def test_the_line_reader_means_what_the_careful_path_means(text):
    assert outcome(text) == careful(text), text


def test_the_line_reader_is_used_for_the_files_convert_writes_and_common_hand_written_ones():
    head = "format: opensel-contest/1\ntitle: T\nmethod: {rule: scottish, seats: 1}\ncandidates: [Ann, 'yes', Bob]\n"
    for ballots in ("ballots:\n- {ranking: [Ann, 'yes'], count: 3}\n- {ranking: [3]}\n",
                    "ballots:\n  - ranking: [Ann, \"yes\"]\n    count: 3\n\n  # more\n  - ranking: [3, 1]\n",
                    "ballots:  # the papers\r\n  - {count: 2, ranking: [Bob]}\r\n"):
        text = head.replace("\n", "\r\n") + ballots if "\r\n" in ballots else head + ballots
        fast = yaml_io._fast_contest(text, "c.yaml")
        assert fast is not None, ballots
        assert fast == careful(text)


@pytest.mark.parametrize("text", [
    # `ballots:` inside a quoted title, with the real key written another way
    'format: opensel-contest/1\ntitle: "x\nballots:\n  - {ranking: [Ann]}\n"\nmethod: {rule: av}\n'
    'candidates: [Ann, Bob]\n"ballots": [{ranking: [Bob]}]\n',
    # two sections
    "format: opensel-contest/1\ntitle: T\nmethod: {rule: av}\ncandidates: [Ann, Bob]\nballots:\n"
    "  - {ranking: [Ann]}\nballots:\n  - {ranking: [Bob]}\n",
    # an anchor and alias around the section
    "format: opensel-contest/1\ntitle: T\nmethod: {rule: av}\ncandidates: [&a Ann, Bob]\nballots:\n"
    "  - {ranking: [*a]}\n",
    # a section that goes on more deeply indented
    "format: opensel-contest/1\ntitle: T\nmethod: {rule: av}\ncandidates: [Ann, Bob]\nballots:\n"
    "  - {ranking: [Ann]}\n    - {ranking: [Bob]}\n",
])
def test_what_the_line_reader_cannot_be_sure_of_is_read_the_careful_way(text):
    assert yaml_io._fast_contest(text, "c.yaml") is None
    assert outcome(text) == careful(text)
