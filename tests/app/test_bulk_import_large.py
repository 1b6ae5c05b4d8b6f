"""A vendor's export of 100,000 papers through the front door: imported into a saved contest as one journaled
act, counted from the .osel, verified and audited, and the count from the .osel equals the count of the BLT
file itself stage by stage. Real subprocesses on a real file (slow: the whole walk takes some seconds)."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import pytest
from cli_run import run_opensel

PAPERS = 100_000
NAMES = ["Ann Archer", "Ben Baker", "Cara Cole", "Dev Dutta", "Ede Evans", "Fay Ford", "Gus Gill", "Hana Hill"]


def write_blt(path: Path, seed: int = 7) -> None:
    """Seeded ranked papers of every length, one line per paper (what an online vendor exports)."""
    rnd = random.Random(seed)
    lines = [f"{len(NAMES)} 3"]
    weights = [9, 8, 7, 5, 4, 3, 2, 1]
    for _ in range(PAPERS):
        order = sorted(range(1, len(NAMES) + 1), key=lambda c: -rnd.random() * weights[c - 1])
        lines.append("1 " + " ".join(map(str, order[: rnd.randint(1, len(NAMES))])) + " 0")
    lines += ["0", *(f'"{n}"' for n in NAMES), '"Online ballot"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
def test_a_100000_paper_import_counts_verifies_and_audits_like_the_file(tmp_path: Path) -> None:
    env = {**os.environ, "OPENSEL_PASSPHRASE": "correct horse battery staple"}
    blt = tmp_path / "online.blt"
    write_blt(blt)
    contest = tmp_path / "contest.yaml"
    contest.write_text(
        "format: opensel-contest/1\nkind: election\norganisation: Anytown Branch\ntitle: Online ballot\n"
        "position: Committee\ndate: 2026-06-20\nreturning_officer: Jane Smith\n"
        "method: {rule: scottish, seats: 3}\ncandidates:\n" + "".join(f"  - {{name: {n}}}\n" for n in NAMES),
        encoding="utf-8")
    meeting = tmp_path / "m.osel"
    run_opensel("new", str(contest), "-o", str(meeting), "--officer", "Jane Smith", env=env)
    out = run_opensel("enter", str(meeting), "--teller", "Ann Teller", "--batch", "online", "--single",
                      "--from", str(blt), "--channel", "online", env=env).stdout
    assert f"Saved {PAPERS} papers" in out

    from_file = json.loads(run_opensel("count", str(blt), "--rule", "scottish", "--format", "json", env=env).stdout)
    from_osel = json.loads(run_opensel("count", str(meeting), "--format", "json", env=env).stdout)
    assert from_osel["elected"] == from_file["elected"] and len(from_osel["elected"]) == 3
    assert from_osel["quota"] == from_file["quota"]
    assert [s["votes"] for s in from_osel["stages"]] == [s["votes"] for s in from_file["stages"]]
    first = from_osel["stages"][0]["votes"]
    assert round(sum(float(v) for v in first.values())) == PAPERS  # every paper has a first preference

    verify = run_opensel("verify", str(meeting), env=env)
    assert "journal verifies" in verify.stdout and "All checks hold." in verify.stdout
    audit = run_opensel("audit", str(meeting), env=env).stdout
    assert f"{PAPERS} papers counted" in audit and "the recount matches the provisional result exactly" in audit
    assert audit.rstrip().endswith("All checks hold.")
