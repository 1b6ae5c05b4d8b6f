"""opensel convert IN OUT: ballots between contest .yaml, .blt and .csv; or count IN into a result file.

Input by extension: .yaml/.yml (contest), .blt, .csv (ballots, one row per paper).
Output by extension: .yaml/.yml (contest), .blt or .csv (ballots), or a counted result: .json (result
JSON), .stages.csv (stage table), .rcvis.json / .rcvis (Universal Tabulator JSON for rcvis.com).
The output is written to a temporary file and moved into place, so a refusal changes nothing; an
existing OUT is kept unless --force is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from opensel_desktop.app.errors import AppError
from opensel_desktop.cli.choices import RULE_NAMES, add_override

if TYPE_CHECKING:  # for annotations only: importing these at start-up is slow
    from opensel_desktop.contest.model import Contest
    from opensel_desktop.engine import Ballots, Result

CONTEST = (".yaml", ".yml")
BALLOT_INPUTS = CONTEST + (".blt", ".csv")


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "convert",
        help="convert ballots between .yaml/.blt/.csv, or count into .json/.stages.csv/.rcvis.json",
        epilog="examples:\n"
               "  opensel convert ballots.blt contest.yaml --rule scottish --title \"Delegates\"\n"
               "  opensel convert contest.yaml ballots.blt\n"
               "  opensel convert ballots.blt ballots.csv              # one row per paper, for a spreadsheet\n"
               "  opensel convert contest.yaml result.rcvis.json",
        description="Convert IN to OUT by their extensions. IN: contest .yaml/.yml, .blt or .csv ballots. "
                    "OUT: .yaml/.yml, .blt or .csv (ballots and candidates; a .csv has one row per paper, and no "
                    "cell a spreadsheet would run as a formula), or a counted result: .json, .stages.csv "
                    "(stage table), .rcvis.json (Universal Tabulator JSON for rcvis.com).",
    )
    p.add_argument("input", metavar="IN", help="contest .yaml/.yml, .blt or .csv ballots")
    p.add_argument("output", metavar="OUT", help=".yaml/.yml, .blt, .csv, .json, .stages.csv or .rcvis.json")
    p.add_argument("--rule", choices=RULE_NAMES,
                   help="rule for a contest made from a .blt/.csv, or for counting one (a contest's own rule "
                        "otherwise; a different one makes a what-if)")
    p.add_argument("--seats", type=int, help="places (a .csv has none: default 1)")
    p.add_argument("--seed", help="seed for a reproducible lot when counting")
    p.add_argument("--title", help="title for a contest made from a .blt/.csv")
    add_override(p)
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    return p


@dataclass(frozen=True, slots=True)
class _Papers:
    """What every ballot input gives: names, places, papers (rankings or X-sets) and the title."""

    names: tuple[str, ...]
    seats: int
    ballots: Ballots
    withdrawn: frozenset[int]
    title: str
    xvotes: bool = False
    contest: Contest | None = None
    tie_order: tuple[int, ...] | None = None
    dialect: str | None = None  # a .blt's dialect of the format, said when it is read


def _out_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".rcvis.json") or name.endswith(".rcvis"):
        return "rcvis"
    if name.endswith(".stages.csv"):
        return "stages"
    suffix = path.suffix.lower()
    kinds = {".yaml": "yaml", ".yml": "yaml", ".blt": "blt", ".json": "json", ".csv": "csv"}
    if suffix not in kinds:
        raise AppError(f"{path}: cannot write a {suffix or 'extension-less'} file; name the output .yaml, .blt, "
                       ".csv, .json, .stages.csv or .rcvis.json.")
    return kinds[suffix]


def _ballots_csv(papers: _Papers, out: Path) -> str:
    from opensel_desktop.contest.csv_io import write_csv_ballots
    from opensel_desktop.contest.names import printable

    try:
        text = write_csv_ballots(papers.names, papers.ballots, papers.xvotes)
    except ValueError as exc:
        raise AppError(f"{out}: cannot write these ballots as CSV: {exc}; write a .blt or .yaml file "
                       "instead.") from None
    lost = []
    if papers.withdrawn:
        lost.append("withdrawn candidates")
    c = papers.contest
    if c is not None and (c.channels or c.rejected):
        lost.append("channels and rejected papers")
    if lost:
        print(printable(f"opensel: note: {out}: a CSV ballots file holds only the papers; the {' and '.join(lost)} "
                        "are not in it."), file=sys.stderr)
    return text


def _read(path: Path, args: argparse.Namespace) -> _Papers:
    from opensel_desktop.contest.blt import read_blt
    from opensel_desktop.contest.csv_io import read_csv_ballots
    from opensel_desktop.contest.yaml_io import load_contest
    from opensel_desktop.engine import Ballots
    from opensel_desktop.engine.rule_facts import X_RULES

    suffix = path.suffix.lower()
    if suffix in CONTEST:
        c = load_contest(path)
        rows = [(b.marks, b.count) for b in c.ballots]
        return _Papers(c.names, c.seats, Ballots.from_rankings(rows),
                       frozenset(i for i, k in enumerate(c.candidates) if k.withdrawn), c.title,
                       c.rule in X_RULES, c)
    if suffix == ".blt":
        b = read_blt(path)
        for note in b.notes:
            print(f"opensel: note: {path}: {note}.", file=sys.stderr)
        return _Papers(b.names, b.seats, b.ballots, b.withdrawn, b.title, tie_order=b.tie_order, dialect=b.dialect)
    if suffix == ".csv":
        c = read_csv_ballots(path)
        for note in c.notes:
            print(f"opensel: note: {path}: {note}.", file=sys.stderr)
        return _Papers(c.names, args.seats or 1, c.ballots, frozenset(), path.stem, c.xvotes)
    raise AppError(f"{path}: cannot read a {suffix or 'extension-less'} file; give a .yaml, .blt or .csv file.")


def _contest_from(papers: _Papers, args: argparse.Namespace, source: Path) -> Contest:
    from opensel_desktop.contest.model import BallotSpec, CandidateSpec, Contest
    from opensel_desktop.engine.rule_facts import X_RULES

    seats = args.seats or papers.seats
    if args.rule:
        rule = args.rule
    elif papers.xvotes:
        rule = "fptp" if seats == 1 else "block"
    else:
        rule = "av" if seats == 1 else "scottish"
    rows = papers.ballots.rankings()
    if rule in X_RULES and not papers.xvotes:
        # fptp/block read a ranked paper as X-votes for its first 1 / first n preferences, as `count` does
        rows = [(tuple(sorted(r[: 1 if rule == "fptp" else seats])), w) for r, w in rows]
    if papers.xvotes and rule not in X_RULES:
        raise AppError(f"{source}: these papers are X-votes; a contest for the ranked rule {rule} cannot hold them "
                       "(use --rule fptp or --rule block).")
    return Contest(
        title=args.title or papers.title or source.stem, rule=rule, seats=seats,
        candidates=tuple(CandidateSpec(n, withdrawn=i in papers.withdrawn) for i, n in enumerate(papers.names)),
        ballots=tuple(BallotSpec(tuple(r), w) for r, w in rows),
    )


def _count(src: Path, args: argparse.Namespace) -> Result:
    from opensel_desktop.app.counting import count_file

    return count_file(src, rule=args.rule, seats=args.seats, seed=args.seed,
                      override=getattr(args, "override_reason", None))


def _write(out: Path, text: str, force: bool) -> None:
    if out.exists() and not force:
        raise AppError(f"{out}: the file already exists; choose another name or add --force to replace it.")
    tmp = out.with_name(out.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AppError(f"{out}: cannot write the file ({exc.strerror or exc}); check the folder.") from None


def run(args: argparse.Namespace) -> int:
    from opensel_desktop.contest import result_io
    from opensel_desktop.contest.blt import BltFile, write_blt
    from opensel_desktop.contest.names import printable
    from opensel_desktop.contest.rcvis import result_rcvis_json
    from opensel_desktop.contest.yaml_io import dump_contest, parse_contest

    src, out = Path(args.input), Path(args.output)
    kind = _out_kind(out)
    if src.suffix.lower() not in BALLOT_INPUTS:
        raise AppError(f"{src}: cannot read a {src.suffix or 'extension-less'} file; give a .yaml, .blt or .csv "
                       "file.")
    if out.exists() and src.exists() and out.resolve() == src.resolve():
        raise AppError(f"{out}: the output would overwrite the input; choose another output name.")
    papers = _read(src, args)
    if kind == "yaml":
        if papers.contest is not None:
            c = papers.contest
            contest = replace(c, rule=args.rule or c.rule, seats=args.seats or c.seats, title=args.title or c.title)
        else:
            contest = _contest_from(papers, args, src)
        text = dump_contest(contest)
        parse_contest(text.encode("utf-8"), str(out))  # what we write must load: refuse rather than write junk
    elif kind == "blt":
        seats = args.seats or papers.seats
        text = write_blt(BltFile(papers.names, seats, papers.ballots, papers.withdrawn, papers.title,
                                 papers.tie_order))
    elif kind == "csv":
        text = _ballots_csv(papers, out)
    else:
        result = _count(src, args)
        if kind == "rcvis" and papers.contest is not None:  # the contest's own description for rcvis.com
            c = papers.contest
            text = result_rcvis_json(result, contest=c.title, date=c.date, office=c.position,
                                     jurisdiction=c.organisation)
        else:
            text = {"json": lambda r: result_io.result_json_pretty(r) + "\n", "stages": result_io.result_csv,
                    "rcvis": result_io.result_rcvis}[kind](result)
    _write(out, text, args.force)
    print(printable(f"{src} -> {out}" + (f" (read as BLT, dialect: {papers.dialect})" if papers.dialect else "")),
          file=sys.stderr)  # a file name is shown escaped, like every name
    return 0
