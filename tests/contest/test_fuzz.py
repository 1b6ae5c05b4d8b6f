"""Hostile input: mutated contest and BLT bytes only ever raise ContestError (never a crash, never a hang)."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opensel_desktop.contest.blt import parse_blt
from opensel_desktop.contest.csv_io import parse_csv_ballots
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.yaml_io import parse_contest

REPO = Path(__file__).resolve().parents[2]
YAML_SEEDS = [
    (REPO / "resources/examples/av-parliamentary.yaml").read_bytes()[:2500],
    (REPO / "resources/examples/exhaustive-meeting.yaml").read_bytes(),
    (REPO / "resources/examples/block-officers.yaml").read_bytes()[:2000],
]
BLT_SEEDS = [
    b'4 2\n-2\n[tie 3 1 2 4]\n3 1 2 3 0\n(b7) 2 4 - 1 0\n1 2=3 4 0\n0\n"Ann"\n"Bob ""B"""\n"Cat"\n"Dai"\n"T"\n',
    (REPO / "tests/data/reference-cases/ers97-model/ers97.blt").read_bytes(),
]
CSV_SEED = "id,Siân Evans,Tom Jones,Ann Lee\n1,1,2,\n2,,1,2\n3,2,2,1\n4,,,\n".encode()

SPLICE = [b"\x00", b"\xff", b"&a ", b"*a", b"!!python/object:os.system ", b"- ", b": ", b"{", b"]", b"'", b'"',
          b"\n", b"  ", b"-1", b"0", b"99999999999999999999", b"=", b"#", b"[tie", b"\t", b"\xef\xbb\xbf",
          b"\r", b"1e309", b".nan", b"2026-13-45", b"~", b"<<: *a", b"?", b"|", b">"]


@st.composite
def mutated(draw, seeds):
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.integers(0, 3))
        pos = draw(st.integers(0, len(data)))
        if op == 0 and data:  # delete a run
            del data[pos: pos + draw(st.integers(1, 40))]
        elif op == 1:  # splice something nasty
            data[pos:pos] = draw(st.sampled_from(SPLICE))
        elif op == 2 and data:  # flip a byte
            data[min(pos, len(data) - 1)] = draw(st.integers(0, 255))
        else:  # duplicate a chunk
            data[pos:pos] = data[pos: pos + draw(st.integers(1, 80))]
    return bytes(data)


FUZZ = settings(max_examples=250, deadline=None, database=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow])


def only_our_error(parse, data: bytes) -> None:
    try:
        parse(data, "fuzz")
    except ContestError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@FUZZ
@given(mutated(YAML_SEEDS))
def test_mutated_contest_files_raise_only_contest_error(data):
    only_our_error(parse_contest, data)


@FUZZ
@given(mutated(BLT_SEEDS))
def test_mutated_blt_files_raise_only_contest_error(data):
    only_our_error(parse_blt, data)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(mutated([CSV_SEED]))
def test_mutated_csv_ballots_raise_only_contest_error(data):
    only_our_error(parse_csv_ballots, data)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(st.binary(max_size=400))
def test_random_bytes_raise_only_contest_error(data):
    only_our_error(parse_contest, data)
    only_our_error(parse_blt, data)
