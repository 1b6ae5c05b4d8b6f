"""A meeting with three teller stations, each keying two double-entered batches of 50 ranked papers
through the real session API, exported as signed batch files. Built once per test run."""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from opensel_desktop.app import entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.keys import OfficerKey, write_officer_key
from opensel_desktop.app.stations import IssuedBatch, create_station_file, create_station_pack, export_batch
from opensel_desktop.contest.yaml_io import load_contest

PASSPHRASE = "table passphrase"
OFFICER_PASSPHRASE = "the officer's own passphrase"
NAMES = ["Siân Evans", "Tom Jones", "Łukasz Nowak", "Dafydd ap Gwŵr", "Mary O'Neill"]
CONTEST = """format: opensel-contest/1
organisation: Anytown CLP
title: Selection of delegates
returning_officer: Jane Smith
method:
  rule: scottish
  seats: 2
candidates:
""" + "".join(f"  - {{name: \"{n}\"}}\n" for n in NAMES)
STATIONS = ("table-1", "table-2", "table-3")
LABELS = ("A", "B")
PAPERS = 50


@dataclass(frozen=True)
class Meeting:
    folder: Path
    contest_yaml: Path
    template: Path  # the officer's .osel with the three stations registered, nothing merged
    batches: dict[str, Path]  # "table-1/A" -> batch file
    stations: dict[str, Path]  # station name -> its own .osel
    packs: dict[str, Path]
    papers: dict[str, list[list[int]]]  # "table-1/A" -> the papers keyed
    officer_key: Path
    key: OfficerKey

    def fresh(self, name: str) -> Path:
        """A copy of the officer's file before any merge."""
        target = self.folder / name
        shutil.copyfile(self.template, target)
        return target


def ranked_papers(rng: random.Random, n: int) -> list[list[int]]:
    weights = [30, 25, 20, 15, 10]
    out = []
    for _ in range(n):
        order = []
        left = list(range(len(NAMES)))
        for _ in range(rng.randint(1, len(NAMES))):
            pick = rng.choices(left, [weights[c] for c in left])[0]
            order.append(pick)
            left.remove(pick)
        out.append(order)
    return out


def first_paper(station: int, batch: int) -> int:
    return 1 + (2 * station + batch) * PAPERS


def key_batch(session: Session, label: str, papers: list[list[int]], tellers: tuple[str, str],
              slip: int | None = None) -> None:
    """Double entry: the second teller keys the same papers blind; `slip` is a paper they mis-key, which the
    officer then resolves by looking at the paper."""
    for marks in papers:
        entry.enter_paper(session, marks, tellers[0], batch=label)
    for i, marks in enumerate(papers, start=1):
        entry.enter_paper(session, list(reversed(marks)) if i == slip and len(marks) > 1 else marks, tellers[1],
                            batch=label, second=True)
    if slip is not None and session.diff(label):
        entry.resolve_mismatch(session, label, slip, papers[slip - 1], "looked at the paper", officer="Station lead")


@pytest.fixture(scope="session")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Meeting:
    folder = tmp_path_factory.mktemp("stations")
    contest_yaml = folder / "contest.yaml"
    contest_yaml.write_text(CONTEST, encoding="utf-8")
    template = folder / "meeting.osel"
    rng = random.Random(12)
    packs, stations, batches, papers = {}, {}, {}, {}
    officer_key = folder / "jane.key"
    officer = write_officer_key(officer_key, "Jane Smith", OFFICER_PASSPHRASE)
    with Session.create(load_contest(contest_yaml), template, "Jane Smith") as main:
        for i, name in enumerate(STATIONS):
            packs[name] = folder / f"{name}.oselpack"
            issued = [IssuedBatch(label, first_paper(i, j), first_paper(i, j) + PAPERS - 1)
                      for j, label in enumerate(LABELS)]
            create_station_pack(main, name, packs[name], PASSPHRASE, issued, officer_key=officer)
    for i, name in enumerate(STATIONS):
        stations[name] = folder / f"{name}.osel"
        with create_station_file(packs[name], stations[name], f"Lead of {name}", PASSPHRASE) as station:
            for j, label in enumerate(LABELS):
                key = f"{name}/{label}"
                papers[key] = ranked_papers(rng, PAPERS)
                key_batch(station, label, papers[key], (f"Teller {i}a", f"Teller {i}b"), slip=7 if j == 1 else None)
                batches[key] = folder / f"{name}-{label}.oselbatch"
                export_batch(station, label, batches[key], PASSPHRASE)
    return Meeting(folder, contest_yaml, template, batches, stations, packs, papers, officer_key, officer)
