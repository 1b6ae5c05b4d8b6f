"""Teller stations and the rounds of an exhaustive ballot, through the `opensel` command line only."""

from __future__ import annotations

import json
import os
from functools import partial
from pathlib import Path

from cli_run import run_opensel

ENV = {**os.environ, "OPENSEL_PASSPHRASE": "the officer's passphrase", "OPENSEL_STATION_PASSPHRASE": "station passphrase",
       "PYTHONIOENCODING": "utf-8"}

CONTEST = """format: opensel-contest/1
title: Selection of branch delegates
returning_officer: Jane Smith
method:
  rule: av
  seats: 1
candidates:
  - {name: Siân Evans}
  - {name: Tom Jones}
  - {name: Łukasz Nowak}
"""

EXHAUSTIVE = """format: opensel-contest/1
title: Selection of council candidate
returning_officer: Jane Smith
method:
  rule: exhaustive
  seats: 1
candidates:
  - {name: Gwen Parry}
  - {name: Rhys Beynon}
  - {name: Zofia Nowak}
  - {name: Tomos Pugh}
"""


opensel = partial(run_opensel, env=ENV)


def test_two_stations_key_export_and_merge_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "contest.yaml").write_text(CONTEST, encoding="utf-8")
    run = lambda *a, **k: opensel(*a, cwd=tmp_path, **k)  # noqa: E731
    run("new", "contest.yaml", "-o", "meeting.osel", "--officer", "Jane Smith")
    run("keygen", "--name", "Jane Smith", "-o", "officer.key")
    papers = {"north": "1 2 3\n2 1\n3\n1 3\n", "south": "2 3 1\n2\n1 2\n3 2 1\n2 1 3\n"}
    for i, (station, text) in enumerate(papers.items()):
        out = run("station-pack", "meeting.osel", "--station", station, "-o", f"{station}.oselpack",
                  "--batch", f"1={1 + 100 * i}-{100 + 100 * i}", "--key", "officer.key").stdout
        assert f"Station {station} registered" in out
        run("new", "--from-pack", f"{station}.oselpack", "-o", f"{station}.osel", "--officer", f"Lead {station}")
        run("enter", f"{station}.osel", "--teller", "Ann", "--batch", "1", stdin=text)
        if i == 0:
            refusal = run("batch-export", f"{station}.osel", "--batch", "1", "-o", "early.oselbatch", ok=False)
            assert "awaiting second entry" in refusal.stderr
        run("enter", f"{station}.osel", "--teller", "Bob", "--batch", "1", "--second", stdin=text)
        out = run("batch-export", f"{station}.osel", "--batch", "1", "-o", f"{station}-1.oselbatch").stdout
        assert "signed" in out and "SHA-256: " in out
    pack = json.loads((tmp_path / "north.oselpack").read_text(encoding="utf-8"))
    assert pack["station"] == "north" and "BEGIN CERTIFICATE" in pack["officer_certificate"]
    assert pack["private_key"]["kdf"] == "scrypt" and pack["private_key"]["n"] >= 2 ** 17
    with_log = run("log", "north.osel").stdout
    assert "[north, batch 1]" in with_log  # a station's events carry its name

    out = run("merge", "meeting.osel", "south-1.oselbatch", "north-1.oselbatch").stdout
    assert "Batch 1 of station south merged: 5 papers (papers 101-105)." in out
    assert "Station north: 1 batch merged, 4 papers." in out
    assert "All stations: 9 papers merged; every batch issued has been returned." in out
    again = run("merge", "meeting.osel", "north-1.oselbatch").stdout
    assert "already merged" in again and "nothing to do" in again
    data = (tmp_path / "north-1.oselbatch").read_bytes()
    (tmp_path / "cut.oselbatch").write_bytes(data[: len(data) // 3])
    refusal = run("merge", "meeting.osel", "cut.oselbatch", ok=False)
    assert refusal.stderr.startswith("opensel: cut.oselbatch: the file is incomplete or damaged")
    count = json.loads(run("count", "meeting.osel", "--format", "json", "--override-reason",
                           "no account kept at this test").stdout)
    assert count["rule"] == "av" and sum(int(v) for v in count["stages"][0]["votes"].values()) == 9
    audit = run("audit", "meeting.osel").stdout
    assert "ok   stations: 2 merged batch files re-verified" in audit and "All checks hold." in audit


def test_rounds_of_an_exhaustive_ballot_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "exhaustive.yaml").write_text(EXHAUSTIVE, encoding="utf-8")
    run = lambda *a, **k: opensel(*a, cwd=tmp_path, **k)  # noqa: E731
    run("new", "exhaustive.yaml", "-o", "meeting.osel", "--officer", "Jane Smith")
    assert "at least one round" in run("count", "meeting.osel", ok=False).stderr
    out = run("round", "meeting.osel", "--counts", "Gwen=18,Rhys=15,Zofia=11,Tomos=6", "--rejected", "1").stdout
    assert "Round 1 saved." in out and "Round 2 is needed among: Gwen Parry, Rhys Beynon, Zofia Nowak." in out
    out = run("round", "meeting.osel", "--counts", "Gwen=27,Rhys=23", "--withdraw", "Zofia Nowak").stdout
    assert "Round 2 saved." in out and "Elected: Gwen Parry" in out
    refusal = run("round", "meeting.osel", "--counts", "Gwen=27,Rhys=23", ok=False)
    assert "the round was not saved" in refusal.stderr
    result = json.loads(run("count", "meeting.osel", "--format", "json").stdout)
    assert result["elected"] == ["Gwen Parry"] and [s["action"] for s in result["stages"]] == ["round"] * 2
    assert "All checks hold." in run("audit", "meeting.osel").stdout
    events = run("log", "meeting.osel").stdout
    assert events.count("round entered") == 2
