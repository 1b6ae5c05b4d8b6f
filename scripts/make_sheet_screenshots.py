#!/usr/bin/env python3
"""Render the result sheets of every example contest to docs/screenshots/sheet-<example>-<page>.png.

Provisional sheets straight from each resources/examples/*.yaml (every page), plus the first pages of
one declared and signed sheet (the STV example saved as a .osel, counted, declared and signed with a
throwaway key) so reviewers see the declaration's operative words, the signature stamp and the
signer's fingerprint on every page. Needs pdftoppm (poppler-utils). Run from anywhere:
    .venv/bin/python scripts/make_sheet_screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from opensel_desktop.app import declaring  # noqa: E402
from opensel_desktop.app.core import Session  # noqa: E402
from opensel_desktop.app.keys import write_officer_key  # noqa: E402
from opensel_desktop.app.sheets import make_report  # noqa: E402
from opensel_desktop.contest.yaml_io import load_contest  # noqa: E402

OUT = REPO / "docs" / "screenshots"
DPI = "72"


def render(pdf: Path, stem: str, last: int | None = None) -> list[Path]:
    for old in OUT.glob(f"sheet-{stem}-*.png"):
        old.unlink()
    pages = ["-l", str(last)] if last else []
    subprocess.run(["pdftoppm", "-r", DPI, *pages, "-png", str(pdf), str(OUT / f"sheet-{stem}")], check=True)
    made = sorted(OUT.glob(f"sheet-{stem}-*.png"))
    # pdftoppm pads page numbers to the page count's width ("-01"); keep plain numbers for stable names
    out = []
    for p in made:
        page = int(p.stem.rsplit("-", 1)[1])
        target = OUT / f"sheet-{stem}-{page}.png"
        if p != target:
            p.rename(target)
        out.append(target)
    return out


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is missing: apt-get install poppler-utils", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for example in sorted((REPO / "resources" / "examples").glob("*.yaml")):
            pdf = t / f"{example.stem}.pdf"
            make_report(example, pdf)
            print(f"{example.name}: {len(render(pdf, example.stem))} pages")
        stv = REPO / "resources" / "examples" / "stv-delegates.yaml"
        contest = load_contest(stv)
        osel = t / "stv-delegates.osel"
        with Session.create(contest, osel, contest.returning_officer) as s:
            declaring.count_meeting(s)
            declaring.declare(s, contest.returning_officer)
        key = t / "officer.key"
        write_officer_key(key, contest.returning_officer, "screenshot passphrase")
        pdf = t / "declared.pdf"
        make_report(osel, pdf, key_path=key, passphrase="screenshot passphrase")
        print(f"stv-delegates declared and signed: {len(render(pdf, 'stv-delegates-declared-signed', 2))} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
