"""Importing a whole ballot file into a saved contest (an online vendor's export, postal votes counted
elsewhere): ONE journaled act, not one entry per paper.

The import is journaled as one `ballots_imported` event carrying the file's SHA-256, the dialect it
was read in, the channel the papers came through, and the ballots grouped (each distinct paper once,
with how many there were), so a million papers are one event, durable and verifiable. Double entry
does not apply to a file (the file is the record); the import shows in the account under its channel
and in the journal with its hash. The same file is never imported twice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write, clean_name
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.limits import MAX_PAPERS
from opensel_desktop.engine import Ballots
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay

MAX_IMPORT = 2 * 1024 * 1024 * 1024  # a ballot file of a million papers is about 30 MB


def read_ballot_file(path: Path, contest_names: tuple[str, ...], xvotes: bool) -> tuple[Ballots, str, bytes,
                                                                                          dict[str, int]]:
    """(ballots, dialect, the file's bytes, rejected by heading) of a .blt or .csv file written for this
    contest: its candidates must be the contest's, in the same order."""
    try:
        data = read_named_file(path, MAX_IMPORT, "a ballot file")
    except FileRefused as exc:
        raise AppError(str(exc), where=path) from None
    suffix = path.suffix.lower()
    rejected: dict[str, int] = {}
    if suffix == ".blt":
        from opensel_desktop.contest.blt import parse_blt

        blt = parse_blt(data, str(path))
        names, ballots = tuple(blt.names), blt.ballots
        dialect = "blt: " + str(getattr(blt, "dialect", "standard"))
    elif suffix == ".csv":
        from opensel_desktop.contest.csv_io import parse_csv_ballots

        papers = parse_csv_ballots(data, str(path))
        names, ballots, rejected = tuple(papers.names), papers.ballots, dict(papers.rejected)
        dialect = "csv: " + ("x-votes" if papers.xvotes else "ranked")
        if papers.xvotes != xvotes:
            kind = "X-votes" if papers.xvotes else "ranked papers"
            raise AppError(f"the file holds {kind}, which this contest does not take", where=path)
    else:
        raise AppError("a ballot file to import is a .blt or .csv file", where=path)
    if names != contest_names:
        raise AppError(f"the candidates in this file ({', '.join(names)}) are not the contest's, in its order; "
                       "import a file written for this contest", where=path)
    return ballots, dialect, data, rejected


def import_ballots(s: Session, path: str | Path, batch: str, teller: str | None = None,
                   channel: str | None = None) -> Changes:
    """Journal the papers of a .blt or .csv file as one import into batch `batch` (a new batch)."""
    s.writable()
    p = Path(path)
    batch = clean_name(batch, "batch label")
    if channel is not None:
        channel = clean_name(channel, "channel name")
    ballots, dialect, data, rejected = read_ballot_file(p, s.contest.names, not s.contest.ranked)
    grouped: dict[tuple[int, ...], int] = {}
    for ranking, weight in ballots.rankings():
        key = tuple(sorted(ranking)) if not s.contest.ranked else tuple(ranking)
        grouped[key] = grouped.get(key, 0) + int(weight)
    papers = sum(grouped.values())
    if papers < 1:
        raise AppError("the file holds no papers; nothing was imported", where=p)
    if papers > MAX_PAPERS:
        raise AppError(f"the file holds {papers:,} papers, more than a contest may ({MAX_PAPERS:,})", where=p)
    rows = [[list(m), n] for m, n in grouped.items()]
    sha = hashlib.sha256(data).hexdigest()

    def plan(model: Replay) -> list[Write]:
        for b in model.batches.values():
            for done in b.import_events:
                if done.sha256 == sha:
                    raise AppError(f"this file was imported already (batch {b.label}, SHA-256 {sha[:16]}...); a "
                                   "file is imported once", where=p)
        if batch in model.batches:
            raise AppError(f"batch {batch} exists already; import the file into a new batch", where=p)
        body = ev.BallotsImported(batch, p.name, sha, dialect, papers, rows, channel, rejected or None)
        return [Write(body, teller)]

    return s.write(plan, f"Saved {papers} paper{'s' if papers != 1 else ''} in batch {batch} imported from "
                         f"{p.name} (one journaled import; SHA-256 {sha}).", batch=batch)
