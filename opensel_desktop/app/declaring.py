"""Counting a saved contest, drawing lots, and declaring the result.

- `count_model` is the one count of a meeting: the agreed papers of the read model, with the rounds,
  unit returns and lots the meeting journaled. Live views, provisional counts, the declaration, the
  sheets and the auditor's recount all call it, so they cannot disagree.
- `count` journals a provisional result (`count_run`), `recount` a recount asked for before the
  declaration, `declare` the declaration. Each counts INSIDE the file's write lock, from the model as
  it is at that instant, so a paper keyed in another window a moment before is always in it.
- All three go ahead over an account that does not reconcile only with an override reason
  (app/account.py), journaled with the result.
- `declare` is signed by the returning officer's pinned key (app/trust.py). A contest with no key
  pinned may be declared without a key: the declaration then records that it is unsigned, and every
  verify and audit says so.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from opensel_desktop.app.account import account_of_model, bundle_figures, override_needed
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write, clean_name
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.app.keys import OfficerKey
from opensel_desktop.contest.model import BallotSpec, Contest
from opensel_desktop.engine import Ballots, Election, NeedsLot, Result, count, rule_info
from opensel_desktop.engine.canonical import result_hash_of
from opensel_desktop.engine.errors import CountError, LotRequest
from opensel_desktop.engine.ties import SeededLots, chain_ties, lot_key
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay


def result_hash(result: Result) -> str:
    """SHA-256 of the canonical result JSON."""
    return result_hash_of(result.to_json_dict())


def earlier_results(model: Replay) -> list[tuple[Contest, tuple[str, ...]]]:
    """The contests counted before this one in its meeting, each with whom it elected (declared, else the
    latest provisional result; nobody yet when it is not counted)."""
    out = []
    for r in model.earlier:
        holder = r.declared or r.provisional
        if r.contest is not None:
            out.append((r.contest, tuple(holder.elected) if holder is not None else ()))
    return out


def counting_contest(model: Replay) -> Contest:
    """The contest as counted now: the file's definition plus what the meeting journaled into it
    (exhaustive-ballot rounds, trigger returns) and, for a later post of a meeting, what the earlier
    posts decided (those elected there are withdrawn here when the meeting says so; constraints across
    posts count the earlier results as sitting members)."""
    from opensel_desktop.app.returns import trigger_plain

    assert model.contest is not None
    c = model.contest
    if model.earlier:
        c = later_post(c, earlier_results(model), model.meeting)
    if model.rounds:
        c = replace(c, extra={**c.extra, "rounds": [*(c.extra.get("rounds") or []), *model.rounds]})
    if model.unit_returns and c.rule == "trigger":
        c = replace(c, extra={**c.extra, "trigger": trigger_plain(model)})
    return c


@dataclass(frozen=True, slots=True)
class CountInput:
    """Everything a count needs, as values: what a worker thread gets (no session, no file)."""

    rule: str
    election: Election
    recorded: tuple[tuple[str, str], ...]  # lot key -> the candidate the journaled lot chose


def later_post(contest: Contest, earlier: list[tuple[Contest, tuple[str, ...]]], settings: dict[str, Any]) -> Contest:
    """A later post of a meeting as it is counted, given the earlier posts' results."""
    if not settings.get("withdraw_elected", True):
        return contest
    gone = {name for _c, elected in earlier for name in elected}
    if not gone:
        return contest
    candidates = tuple(replace(k, withdrawn=True) if k.name in gone else k for k in contest.candidates)
    return replace(contest, candidates=candidates)


def count_input(model: Replay, rule: str | None = None, seats: int | None = None) -> CountInput:
    """The agreed papers and the journaled lots, ready to count; AppError when there is nothing to count."""
    c = counting_contest(model)
    rule = rule or c.rule
    grouped = model.rankings()
    bundle_papers, bundle_votes = bundle_figures(model)
    if rule == "block" and bundle_votes:
        # bundle totals replay as one-mark papers: tell the count how many papers there really were
        papers = sum(grouped.values()) - bundle_votes + bundle_papers
        c = replace(c, rule_options={**c.rule_options, "papers": papers})
    try:
        rule_info(rule)
        election = c.to_election(Ballots.from_rankings(grouped.items()), seats=seats)
    except CountError as exc:
        raise AppError(str(exc)) from None
    return CountInput(rule, election, tuple((k, d.chosen) for k, d in model.lots.items()))


def run_count(job: CountInput, seed: str | None = None) -> Result:
    """The engine over a CountInput: pure, safe on any thread."""
    try:
        return count(job.rule, job.election, chain_ties(dict(job.recorded), None, seed))
    except CountError as exc:
        raise AppError(str(exc)) from None


def count_model(model: Replay, seed: str | None = None, rule: str | None = None, seats: int | None = None) -> Result:
    """Count the agreed papers (raises NeedsLot when a lot is needed and neither the journal nor `seed`
    settles it; AppError for a count that cannot be made)."""
    job = count_input(model, rule, seats)
    if job.election.ballots.total == 0 and model.contest is not None and model.contest.kind == "election" \
            and job.rule != "exhaustive":
        raise AppError("there are no agreed papers to count yet", step=Next.ENTER_PAPERS)
    return run_count(job, seed)


def _lot_body(lot_stage: int, among: tuple[str, ...] | list[str], purpose: str, chosen: str, how: str,
              seed: str | None, witness: str, reason: str = "") -> ev.LotDrawn:
    return ev.LotDrawn(lot_key(lot_stage, purpose, among), lot_stage, tuple(among), purpose, chosen, how, seed,
                       witness, reason)


def _seeded_lots(model: Replay, result: Result, actor: str) -> list[Write]:
    """Lots the count drew from a seed, journaled with the result so a recount replays them."""
    out = []
    for lot in result.lots:
        key = lot_key(lot.stage, lot.purpose, lot.among)
        if lot.how == "seed" and key not in model.lots:
            out.append(Write(_lot_body(lot.stage, lot.among, lot.purpose, lot.chosen, "seed", lot.seed, actor), actor))
    return out


def _elected(result: Result) -> str:
    return ", ".join(result.elected) or "nobody"


def count_meeting(s: Session, seed: str | None = None, journal: bool = True, override_reason: str | None = None,
                  key: OfficerKey | None = None) -> Result:
    """Count the agreed papers with the contest's rule; journals the provisional result (and any lot drawn
    from `seed`) unless read-only, declared, or `journal` is False. Raises NeedsLot. A journaled count
    over an account that does not reconcile needs `override_reason`. With the officer's `key`, the
    journal is signed at this point too (a signed checkpoint)."""
    s.sync()
    if not journal or s.readonly or s.model.declared is not None:
        return count_model(s.model, seed)
    holder: dict[str, Result] = {}

    def plan(model: Replay) -> list[Write]:
        reason = override_needed(account_of_model(model), override_reason, "count")
        result = holder["result"] = count_model(model, seed)
        body = ev.CountRun(result_hash(result), tuple(result.elected), result.to_json_dict(), seed, reason)
        return [*_seeded_lots(model, result, s.actor), Write(body)]

    changes = s.write(plan, lambda _w: f"Provisional result saved: {_elected(holder['result'])} elected.")
    s.results[changes.events[-1]] = holder["result"]
    if key is not None:
        from opensel_desktop.app.trust import sign_checkpoint

        sign_checkpoint(s, key, "provisional count")
    return holder["result"]


def what_if(s: Session, rule: str | None = None, seats: int | None = None, seed: str | None = None) -> Result:
    """Another rule or number of places over the same papers: never journaled, marked what_if."""
    s.sync()
    return replace(count_model(s.model, seed, rule=rule, seats=seats), what_if=True)


def recount(s: Session, requested_by: str, reason: str = "", seed: str | None = None,
            override_reason: str | None = None) -> Result:
    """A recount asked for before the declaration: counted again and journaled."""
    s.writable()
    requested_by = clean_name(requested_by, "name")
    holder: dict[str, Result] = {}

    def plan(model: Replay) -> list[Write]:
        why = override_needed(account_of_model(model), override_reason, "recount")
        result = holder["result"] = count_model(model, seed)
        body = ev.Recount(result_hash(result), tuple(result.elected), result.to_json_dict(), requested_by,
                          (reason or "").strip(), seed, why)
        return [*_seeded_lots(model, result, s.actor), Write(body)]

    changes = s.write(plan, lambda _w: f"Recount saved: {_elected(holder['result'])} elected.")
    s.results[changes.events[-1]] = holder["result"]
    return holder["result"]


def lot_needed(s: Session) -> LotRequest | None:
    """The lot the count is waiting for, if any (recorded lots are replayed first)."""
    s.sync()
    try:
        count_model(s.model)
    except NeedsLot as need:
        return need.request
    except AppError:
        return None
    return None


def record_lot(s: Session, witness: str, seed: str | None = None, chosen: str | None = None) -> Changes:
    """Settle the lot the count asks for: a physical draw (`chosen`) or a seeded draw (the seed is
    generated and recorded if not given). Replayed on every recount."""
    s.writable()
    witness = clean_name(witness, "witness")
    used_seed = seed if seed is not None else (None if chosen is not None else secrets.token_hex(8))

    def plan(model: Replay) -> list[Write]:
        try:
            count_model(model)
        except NeedsLot as need:
            request = need.request
        else:
            raise AppError("no lot is needed: the count is decided without one")
        if chosen is not None:
            if chosen not in request.among:
                raise AppError(f"{chosen!r} is not among the tied candidates ({', '.join(request.among)})")
            picked, how = chosen, "recorded"
        else:
            lot = SeededLots(used_seed or "").draw(request)
            assert lot is not None
            picked, how = lot.chosen, "seed"
        body = _lot_body(request.stage, request.among, request.purpose, picked, how,
                         None if how == "recorded" else used_seed, witness, request.reason)
        return [Write(body, witness)]

    def said(written: list[ev.Event]) -> str:
        d = written[0].body
        assert isinstance(d, ev.LotDrawn)
        return f"Lot drawn at stage {d.stage} among {', '.join(d.among)}: {d.chosen}."

    return s.write(plan, said)


def declare(s: Session, officer: str, override_reason: str | None = None, key: OfficerKey | None = None) -> Changes:
    """Declare the result and lock the contest. The result declared is kept in `s.results` under the
    declaration's event number, so the sheet is made from this very count, not another.

    Refused while batches are unagreed, a lot is needed, or the account does not reconcile (unless an
    override reason is given); refused without the pinned key, or with another key. A contest with no
    key pinned is pinned to `key` first, then declared."""
    from opensel_desktop.app import trust

    s.writable()
    officer = clean_name(officer, "officer")
    if key is not None and s.model.pinned is None:
        trust.pin(s, key.certificate, officer)
    holder: dict[str, Result] = {}

    def plan(model: Replay) -> list[Write]:
        trust.require_pinned_key(model, key, "declaration")
        account = account_of_model(model)
        reason = override_needed(account, override_reason, "declaration", declaring=True)
        try:
            result = holder["result"] = count_model(model)
        except NeedsLot as need:
            raise AppError(f"a lot is needed at stage {need.request.stage} between {', '.join(need.request.among)}",
                           step=Next.DRAW_LOT) from None
        figures: dict[str, Any] = {**account.statement.to_json_dict(), "acceptable": account.reconciles}
        if account.outstanding:  # declared without these station batches (the override reason says why)
            figures["outstanding_batches"] = list(account.outstanding)
        digest = result_hash(result)
        body = ev.Declared(digest, tuple(result.elected), result.to_json_dict(), officer, reason, figures, None,
                           contest=model.key)
        if key is not None:  # the signature covers every word of the declaration (app/trust.py)
            text = trust.declaration_record_text(model.contest_id, model.head, body)
            body = replace(body, signature=trust.signature_of(key, text, model.head, trust.DECLARATION_V2))
        return [Write(body, officer)]

    changes = s.write(plan, lambda _w: f"Result declared: {_elected(holder['result'])} elected; the contest is "
                                       "now locked" + ("" if key else " (declared WITHOUT the returning officer's "
                                                                      "key: the declaration is unsigned)") + ".")
    s.results[changes.events[-1]] = holder["result"]
    return changes


def create_linked_recount(s: Session, path: str | Path, officer: str) -> Session:
    """After the declaration: a new contest file linked to this one (its id and head hash), starting
    from the agreed papers as one single-entry batch. This file is not changed."""
    s.sync()
    if s.model.declared is None:
        raise AppError("the result is not declared yet; ask for a recount instead")
    link = {"contest_id": s.contest_id, "head": s.head_hash, "file": Path(s.path).name}
    specs = tuple(BallotSpec(m, n) for m, n in s.model.rankings().items())
    # the same papers with the same account: the channels' figures and the rejections as journaled
    contest = replace(s.contest, ballots=specs, channels=tuple(s.model.channels.values()),
                      rejected=s.model.rejected_counts())
    pin = s.model.pinned
    return Session.create(contest, path, officer, station=s.station, clock=s.clock, linked_to=link, pin=pin)


def journaled_result(model: Replay) -> Mapping[str, Any] | None:
    """The declared result, else the latest provisional one, as journaled."""
    holder = model.declared or model.provisional
    return holder.result if holder is not None else None


def count_osel(path: Path, rule: str | None = None, seats: int | None = None, seed: str | None = None,
               override_reason: str | None = None, key: OfficerKey | None = None) -> Result:
    """`opensel count MEETING.osel`: the contest's own count is journaled as provisional; --rule or
    --seats that differ from the contest's run a what-if on a read-only open, never journaled."""
    actor = os.environ.get("OPENSEL_ACTOR", "").strip()
    with Session.open(path, actor or "auditor", readonly=True) as probe:
        probe.require_verified()  # never count from a journal edited outside the app
        c = probe.contest
        actor = actor or c.returning_officer or "returning officer"
        is_what_if = (rule is not None and rule != c.rule) or (seats is not None and seats != c.seats)
        if is_what_if or probe.state == "declared" or not os.access(path, os.W_OK):
            return what_if(probe, rule, seats, seed) if is_what_if else count_meeting(probe, seed, journal=False)
    with Session.open(path, actor) as session:
        return count_meeting(session, seed, override_reason=override_reason, key=key)

