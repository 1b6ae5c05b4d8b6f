"""Count a ballot file, contest file or saved contest: the one path the CLI and GUI share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.blt import read_blt
from opensel_desktop.engine import CountError, Election, NeedsLot, Result, count, rule_info
from opensel_desktop.engine.rule_facts import TOTALS_RULES, X_RULES
from opensel_desktop.engine.ties import TieSource, chain_ties, tie_line_option

if TYPE_CHECKING:
    from opensel_desktop.contest.model import Contest

# Loaders for other kinds of file register here (extension -> function returning a Result);
# kept explicit so that PyInstaller and readers can see every path.
COUNTERS: dict[str, Callable[..., Result]] = {}


def election_from_blt(path: Path, seats: int | None,
                      tie_line: str | None = None) -> tuple[Election, tuple[str, ...] | None]:
    blt = read_blt(path)
    election = Election(
        names=blt.names, seats=seats if seats is not None else blt.seats, ballots=blt.ballots,
        withdrawn=blt.withdrawn, title=blt.title, tie_order=blt.tie_order,
        options={"tie_line": tie_line} if tie_line else {},
    )
    order = tuple(blt.names[c] for c in blt.tie_order) if blt.tie_order else None
    return election, order


def count_blt(path: Path, rule: str | None, seats: int | None, seed: str | None,
              recorded: dict[str, str] | None = None, tie_line: str | None = None) -> Result:
    if not rule:
        raise AppError("a BLT file carries no rule; give one with --rule (for example --rule scottish)", where=path)
    rule_info(rule)  # unknown rule: refused before reading the file
    election, order = election_from_blt(path, seats, tie_line)
    ties: TieSource = chain_ties(recorded, order, seed, tie_line_option(election.options))
    return count(rule, election, ties)


def count_file(path: str | Path, rule: str | None = None, seats: int | None = None, seed: str | None = None,
               override: str | None = None, key_path: str | Path | None = None,
               tie_line: str | None = None) -> Result:
    """Count any file we know; an engine refusal (CountError, NeedsLot) becomes one sentence naming the file,
    whichever loader below raised it: the engine knows no files."""
    try:
        return _count_file(path, rule, seats, seed, override, key_path, tie_line)
    except (CountError, NeedsLot) as exc:
        raise AppError(str(exc), where=path) from exc  # the NeedsLot request stays reachable as __cause__


def _count_file(path: str | Path, rule: str | None, seats: int | None, seed: str | None,
                override: str | None, key_path: str | Path | None, tie_line: str | None = None) -> Result:
    p = Path(path)
    suffix = p.suffix.lower()
    if key_path is not None and suffix != ".osel":
        raise AppError("--key signs a saved contest's journal; give a .osel file", where=p)
    if suffix in COUNTERS:
        # `override`: reason to count although the ballot paper account does not reconcile
        more: dict[str, object] = {"override": override} if override is not None else {}
        if key_path is not None:
            more["key_path"] = key_path
        return COUNTERS[suffix](p, rule=rule, seats=seats, seed=seed, **more)
    if suffix == ".blt" or suffix not in COUNTERS:
        return count_blt(p, rule, seats, seed, tie_line=tie_line)
    raise AppError(f"cannot count a {suffix} file; give a .blt, .yaml or .osel file", where=p)


def mark_what_if(result: Result) -> Result:
    return replace(result, what_if=True)


def count_contest_file(path: Path, rule: str | None = None, seats: int | None = None, seed: str | None = None,
                       override: str | None = None) -> Result:
    """Count a contest .yaml: rule, options and places from the file; --rule/--seats make a what-if."""
    from opensel_desktop.contest.yaml_io import load_contest

    return count_contest(load_contest(path), path, rule, seats, seed, override)


def count_contest(contest: Contest, path: Path, rule: str | None = None, seats: int | None = None,
                  seed: str | None = None, override: str | None = None) -> Result:
    """Count a contest already loaded from `path` (named in messages), as count_contest_file does."""
    from opensel_desktop.app.account import require_reconciled

    use_rule = rule or contest.rule
    rule_info(use_rule)  # a rule the contest names but this build does not count yet: one sentence
    if contest.rule in X_RULES and use_rule not in X_RULES and contest.ballots:
        raise AppError(f"the papers in this contest are X-votes; the ranked rule {use_rule} cannot count them "
                       "(use --rule fptp or --rule block)", where=path)
    if contest.ballots or contest.rule not in TOTALS_RULES:
        try:  # meeting rounds carry their own accounts (contest/kinds.py)
            require_reconciled(contest, override)
        except AppError as exc:
            exc.where = exc.where or str(path)
            raise
    election = contest.to_election(seats=seats)
    try:
        result = count(use_rule, election, chain_ties(None, None, seed))
    except (CountError, NeedsLot) as exc:
        raise AppError(f"{exc}", where=path) from exc  # as count_file does: the engine knows no files
    what_if = (rule is not None and rule != contest.rule) or (seats is not None and seats != contest.seats)
    return mark_what_if(result) if what_if else result


COUNTERS[".yaml"] = count_contest_file
COUNTERS[".yml"] = count_contest_file


def count_csv_file(path: Path, rule: str | None = None, seats: int | None = None, seed: str | None = None,
                   override: str | None = None) -> Result:
    """Count CSV ballots (contest/csv_io.py): like a BLT, the rule must be given; places default to 1.
    A CSV file has no ballot paper account, so `override` has nothing to override."""
    from opensel_desktop.contest.csv_io import read_csv_ballots

    if not rule:
        raise AppError("CSV ballots carry no rule; give one with --rule (for example --rule av)", where=path)
    rule_info(rule)
    papers = read_csv_ballots(path)
    if papers.xvotes and rule not in X_RULES:
        raise AppError(f"these papers are X-votes; the ranked rule {rule} cannot count them (use --rule fptp or "
                       "--rule block)", where=path)
    election = Election(names=papers.names, seats=seats or 1, ballots=papers.ballots, title=path.stem)
    return count(rule, election, chain_ties(None, None, seed))


COUNTERS[".csv"] = count_csv_file


def count_saved_contest(path: Path, rule: str | None = None, seats: int | None = None, seed: str | None = None,
                        override: str | None = None, key_path: str | Path | None = None) -> Result:
    """Count a saved contest (.osel): journaled as provisional (app/declaring.py); --rule/--seats: what-if.
    With the officer's key, the journal is signed at this count too."""
    from opensel_desktop.app.declaring import count_osel  # the store is only loaded when a .osel is counted

    key = None
    if key_path is not None:
        from opensel_desktop.app.keys import load_officer_key, passphrase_from_env_or_prompt

        key = load_officer_key(key_path, passphrase_from_env_or_prompt())
    try:
        return count_osel(path, rule=rule, seats=seats, seed=seed, override_reason=override, key=key)
    except AppError as exc:
        exc.where = exc.where or str(path)
        raise


COUNTERS[".osel"] = count_saved_contest
