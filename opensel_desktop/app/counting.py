"""Count a ballot file, contest file or saved contest: the one path the CLI and GUI share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.blt import read_blt
from opensel_desktop.engine import Election, Result, count, rule_info
from opensel_desktop.engine.ties import TieSource, chain_ties

# Loaders for other kinds of file register here (extension -> function returning a Result);
# kept explicit so that PyInstaller and readers can see every path (STYLE.md habit 12).
COUNTERS: dict[str, Callable[..., Result]] = {}


def election_from_blt(path: Path, seats: int | None) -> tuple[Election, tuple[str, ...] | None]:
    blt = read_blt(path)
    election = Election(
        names=blt.names, seats=seats if seats is not None else blt.seats, ballots=blt.ballots,
        withdrawn=blt.withdrawn, title=blt.title, tie_order=blt.tie_order,
    )
    order = tuple(blt.names[c] for c in blt.tie_order) if blt.tie_order else None
    return election, order


def count_blt(path: Path, rule: str | None, seats: int | None, seed: str | None,
              recorded: dict[str, str] | None = None) -> Result:
    if not rule:
        raise AppError(f"{path}: a BLT file carries no rule; give one with --rule (for example --rule scottish).")
    rule_info(rule)  # unknown rule: refused before reading the file
    election, order = election_from_blt(path, seats)
    ties: TieSource = chain_ties(recorded, order, seed)
    return count(rule, election, ties)


def count_file(path: str | Path, rule: str | None = None, seats: int | None = None, seed: str | None = None) -> Result:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in COUNTERS:
        return COUNTERS[suffix](p, rule=rule, seats=seats, seed=seed)
    if suffix == ".blt" or suffix not in COUNTERS:
        return count_blt(p, rule, seats, seed)
    raise AppError(f"{p}: cannot count a {suffix} file; give a .blt, .yaml or .osel file.")


def mark_what_if(result: Result) -> Result:
    return replace(result, what_if=True)
