"""`opensel count` as other tools call it (docs/cli.md): a real subprocess, real files, exit codes and stdout.

Refusals: exit 1 (2 for an argparse usage error), one sentence on stderr naming the file (and the line where
there is one), never a traceback, nothing written to stdout.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
LINN = REPO / "tests/data/reference-cases/droop/blt/scotland/Linn-2007.blt"
CONTRACT_CHECK = REPO.parent / "shared" / "tools" / "contract-check"
PLACES = {"scottish": 5, "ers97": 2, "wigm": 4, "meek": 9, "av": 0, "fptp": 0, "block": 0}
SINGLE = {"av", "fptp"}
REQUIRED = {"rule": str, "rule_version": str, "seats": int, "quota": str, "elected": list, "stages": list}
ACTIONS = {"first", "surplus", "exclusion", "bulk_exclusion", "deferral", "lot", "constraint", "election", "round"}


def opensel(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "opensel_desktop.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=120, env=env, cwd=cwd or REPO)


def linn_names() -> list[str]:
    lines = [ln for ln in LINN.read_text(encoding="utf-8-sig").splitlines() if ln.strip()]
    end = lines.index("0")
    return [ln.strip()[1:-1] for ln in lines[end + 1:end + 12]]


@pytest.mark.parametrize("rule", sorted(PLACES))
def test_json_follows_the_contract_for_every_rule(rule: str) -> None:
    extra = ["--seats", "1"] if rule in SINGLE else []
    p = opensel("count", LINN, "--rule", rule, "--format", "json", *extra)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    for key, typ in REQUIRED.items():
        assert isinstance(out[key], typ), key
    assert out["rule"] == rule and out["rule_version"].startswith(rule)
    assert out["seats"] == (1 if rule in SINGLE else 4)
    names = linn_names()
    dp = PLACES[rule]
    number = re.compile(r"^-?\d+$" if dp == 0 else rf"^-?\d+\.\d{{{dp}}}$")
    assert number.match(out["quota"])
    assert out["elected"] and set(out["elected"]) <= set(names) and len(out["elected"]) == out["seats"]
    for stage in out["stages"]:
        assert set(stage["votes"]) == set(names)
        assert all(number.match(v) for v in [*stage["votes"].values(), stage["non_transferable"]])
        assert stage["action"] in ACTIONS
        assert isinstance(stage["elected"], list) and isinstance(stage["excluded"], list)
        if rule != "block":  # a block paper carries up to n votes, so votes outnumber papers
            total = sum(Decimal(v) for v in stage["votes"].values()) + Decimal(stage["non_transferable"])
            assert total == 9567  # Linn 2007: 9567 valid papers
    assert [n for st in out["stages"] for n in st["elected"]] == out["elected"]


@pytest.mark.parametrize("rule", ["av", "fptp", "block"])
def test_text_and_csv_show_the_same_count(rule: str) -> None:
    extra = ["--seats", "1"] if rule in SINGLE else []
    j = json.loads(opensel("count", LINN, "--rule", rule, "--format", "json", *extra).stdout)
    text = opensel("count", LINN, "--rule", rule, *extra)
    assert text.returncode == 0 and text.stderr == ""
    assert f"Rule: {rule} ({j['rule_version']})" in text.stdout
    assert text.stdout.rstrip().endswith("Elected: " + ", ".join(j["elected"]))
    table = opensel("count", LINN, "--rule", rule, "--format", "csv", *extra)
    assert table.returncode == 0
    rows = {r[0]: r[1:] for r in csv.reader(io.StringIO(table.stdout))}
    assert rows["action"] == [s["action"] for s in j["stages"]]
    for name in linn_names():
        assert rows[name] == [s["votes"][name] for s in j["stages"]]


def test_same_file_and_seed_give_byte_identical_json(tmp_path: Path) -> None:
    tied = tmp_path / "tied.blt"
    tied.write_text('3 1\n4 1 0\n4 2 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Tied"\n', encoding="utf-8")
    runs = [opensel("count", tied, "--rule", "fptp", "--seed", "42", "--format", "json") for _ in range(2)]
    assert runs[0].returncode == 0 and runs[0].stdout == runs[1].stdout
    lot = json.loads(runs[0].stdout)["lots"][0]
    assert lot["seed"] == "42" and set(lot["among"]) == {"Ann", "Bob"}
    needs = opensel("count", tied, "--rule", "fptp")
    assert needs.returncode == 1 and "--seed" in needs.stderr and str(tied) in needs.stderr


REFUSALS = {
    # name: (file content or None for special, text expected in the message)
    "truncated.blt": ("3 1\n1 1 2 0\n", ":3: "),
    "unknown.blt": ('3 1\n1 1 9 0\n0\n"A"\n"B"\n"C"\n"t"\n', ":2:5: "),
    "names-missing.blt": ('3 1\n2 1 2 0\n0\n"A"\n"B"\n', ":6: "),
    "empty.blt": ("", ":1: "),
    "binary.blt": (b"\x7fELF\x02\x01\x01\x00\x00\x00" * 30, "binary"),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_broken_files_are_refused_in_one_sentence(tmp_path: Path, name: str) -> None:
    content, expect = REFUSALS[name]
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = path.read_bytes()
    p = opensel("count", path, "--rule", "scottish", "--format", "json")
    assert_refused(p, 1, str(path), expect)
    assert path.read_bytes() == before


def assert_refused(p: subprocess.CompletedProcess[str], code: int, *needles: str) -> None:
    assert p.returncode == code, p.stderr
    assert p.stdout == ""
    assert "Traceback" not in p.stderr
    message = p.stderr.strip().splitlines()[-1]
    for n in needles:
        assert n in message, message
    if code == 1:
        assert len(p.stderr.strip().splitlines()) == 1


def test_folder_and_missing_file_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "ballots.blt"
    folder.mkdir()
    assert_refused(opensel("count", folder, "--rule", "av"), 1, str(folder), "folder")
    missing = tmp_path / "nowhere.blt"
    assert_refused(opensel("count", missing, "--rule", "av"), 1, str(missing), "no such file")


@pytest.mark.parametrize(("rule", "seats", "words"), [
    ("scottish", "0", "at least 1"), ("block", "-2", "at least 1"), ("av", "0", "at least 1"),
    ("scottish", "11", "unopposed"), ("block", "12", "unopposed"),
    ("av", "2", "one place"), ("fptp", "4", "one place"),
])
def test_impossible_places_are_refused(rule: str, seats: str, words: str) -> None:
    assert_refused(opensel("count", LINN, "--rule", rule, "--seats", seats), 1, str(LINN), words)


def test_unknown_rule_and_missing_rule() -> None:
    assert_refused(opensel("count", LINN, "--rule", "borda"), 2, "invalid choice")
    assert_refused(opensel("count", LINN), 1, str(LINN), "--rule")


@pytest.mark.slow
def test_contract_check_passes_for_av_fptp_and_block() -> None:
    if not CONTRACT_CHECK.exists():
        pytest.skip("the contract checker shipped beside the repository on CI is not on this machine")
    p = subprocess.run([sys.executable, str(CONTRACT_CHECK)], capture_output=True, text=True, timeout=600,
                       cwd=REPO)
    mine = [ln for ln in p.stdout.splitlines() if re.search(r"--rule (av|fptp|block)\b", ln)]
    assert mine == [], p.stdout
    assert "Traceback" not in p.stdout + p.stderr
