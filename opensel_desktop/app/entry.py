"""Keying ballot papers: papers, bundle totals, corrections, the two entries of a batch and their differences.

Double entry is a rule of this layer, so the window and the command line obey it alike: the second
entry of a batch is keyed blind by ANOTHER teller than the first, and the physical paper decides
where they differ (`resolve_mismatch`). A batch that came from a teller station's signed batch file is
sealed: nothing more is keyed into it on this laptop. The returning officer can withdraw a paper keyed
by mistake (`withdraw_paper`, journaled with the reason).

Each function checks and decides inside the session's write lock (`Session.write`), so two windows or
processes keying the same batch can never both take the same paper number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write, clean_name, required_text
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.contest.limits import MAX_BUNDLE_PAPERS
from opensel_desktop.contest.model import Contest
from opensel_desktop.engine.rule_facts import X_RULES
from opensel_desktop.store import events as ev
from opensel_desktop.store.events import FIRST, SECOND
from opensel_desktop.store.replay import Batch, Marks, Replay


def side_of(second: bool) -> str:
    return SECOND if second else FIRST


def check_marks(contest: Contest, marks: Sequence[int]) -> Marks:
    """Refuse a paper that cannot be entered as valid, with the heading to reject it under."""
    out = tuple(int(m) for m in marks)
    if not out:
        raise AppError("the paper has no marks; reject it as 'unmarked' instead")
    bad = [m for m in out if not 0 <= m < len(contest.candidates)]
    if bad:
        raise AppError(f"candidate number {bad[0] + 1} does not exist; there are {len(contest.candidates)} "
                       "candidates")
    if len(set(out)) != len(out):
        raise AppError("the paper names a candidate twice; check it, or reject it as 'void for uncertainty'")
    if not contest.ranked:
        if len(out) > max(contest.seats, 1):
            raise AppError(f"the paper has {len(out)} votes for {contest.seats} place(s); reject it as 'voting "
                           "for more candidates than entitled'")
        out = tuple(sorted(out))
    return out


def batch_list(model: Replay) -> str:
    return ", ".join(model.batches) or "none yet"


def existing_batch(model: Replay, batch: str) -> Batch:
    b = model.batches.get(batch)
    if b is None:
        raise AppError(f"there is no batch {batch!r}; batches: {batch_list(model)}")
    return b


def _keyable(model: Replay, batch: str) -> Batch | None:
    """The batch a teller is about to key into, if it exists; refused if it is sealed."""
    b = model.batches.get(batch)
    if b is not None and b.merged:
        raise AppError(f"batch {batch} came from a teller station's signed batch file and is sealed; key new "
                       "papers in another batch")
    if b is not None and b.import_events:
        raise AppError(f"batch {batch} holds an imported ballot file; key papers in another batch")
    return b


def _independent(b: Batch | None, side: str, teller: str, batch: str) -> None:
    """The second entry is keyed by another teller than the first (and the first by another than the
    second, when the second was begun first)."""
    if b is None:
        return
    other = b.teller_of(SECOND if side == FIRST else FIRST)
    if other and other.casefold() == teller.casefold():
        raise AppError(f"{teller} keyed the {'first' if side == SECOND else 'second'} entry of batch {batch}; the "
                       f"{side} entry must be keyed by another teller, independently", step=Next.OTHER_TELLER)


def enter_paper(s: Session, marks: Sequence[int], teller: str | None = None, batch: str = "1",
                seq: int | None = None, second: bool = False, single: bool = False,
                channel: str | None = None) -> Changes:
    """Journal one paper: a ranking (candidate indices, first preference first) or X-votes.

    `seq` is the paper's number within the batch (the next free number, chosen inside the write lock,
    if None); `second` marks the second teller's independent entry of the same batch; `single` declares
    a batch that needs no second entry (the officer's decision, recorded on every paper of it)."""
    s.writable()
    side = side_of(second)
    batch = clean_name(batch, "batch label")
    who = clean_name(teller or s.actor, "teller")
    clean = check_marks(s.contest, marks)
    if channel is not None:
        channel = clean_name(channel, "channel name")
    if seq is not None and seq < 1:
        raise AppError("paper numbers start at 1")

    def plan(model: Replay) -> list[Write]:
        b = _keyable(model, batch)
        single_now = single
        if b is not None and b.is_bundle:
            raise AppError(f"batch {batch} holds bundle totals; enter papers in another batch")
        if second and (single or (b is not None and b.single)):
            raise AppError(f"batch {batch} is a single-entry batch; it takes no second entry")
        if b is not None and not second and not single and b.single:
            single_now = True
        _independent(b, side, who, batch)
        paper = seq if seq is not None else (b.next_paper(side) if b else 1)
        if b is not None and paper in b.papers[side]:
            raise AppError(f"paper {paper} of batch {batch} is already entered", step=Next.CORRECT_INSTEAD)
        if b is not None and paper in b.rejections[side]:
            raise AppError(f"paper {paper} of batch {batch} is recorded as rejected ({b.rejections[side][paper]})",
                           step=Next.WITHDRAW_REJECTION_FIRST)
        return [Write(ev.PaperEntered(batch, paper, clean, side, single_now, channel), who)]

    return s.write(plan, lambda w: f"Paper {w[0].data['paper']} of batch {batch} saved.", batch=batch,
                   paper=seq)


def single_entry_batch(s: Session, batch: str, officer: str, reason: str) -> Changes:
    """Journal the officer's decision that a batch of papers is keyed once, with no second entry (double
    entry is the default; this is the recorded exception). Made before its papers are keyed; refused
    once a second entry of it has begun."""
    s.writable()
    batch = clean_name(batch, "batch label")
    officer = clean_name(officer, "officer")
    reason = required_text(reason, "reason for keying the batch only once")

    def plan(model: Replay) -> list[Write]:
        b = _keyable(model, batch)
        if b is not None and b.single:
            raise AppError(f"batch {batch} is already a single-entry batch")
        if b is not None and (b.papers[SECOND] or b.rejections[SECOND] or SECOND in b.bundles):
            raise AppError(f"batch {batch} already has a second entry", step=Next.RESOLVE_MISMATCHES)
        return [Write(ev.BatchSingleEntry(batch, officer, reason), officer)]

    return s.write(plan, f"Batch {batch} is keyed once (single entry), decided by {officer}.", batch=batch)


def correct_paper(s: Session, batch: str, paper: int, marks: Sequence[int], reason: str,
                  teller: str | None = None, second: bool = False) -> Changes:
    """Append a correction of one teller's entry of a paper; the old entry stays in the journal."""
    s.writable()
    side = side_of(second)
    reason = required_text(reason, "reason for the correction")
    clean = check_marks(s.contest, marks)

    def plan(model: Replay) -> list[Write]:
        b = existing_batch(model, batch)
        _keyable(model, batch)
        if paper not in b.papers[side]:
            raise AppError(f"batch {batch} has no paper {paper} in the {side} entry to correct")
        return [Write(ev.PaperCorrected(batch, paper, clean, side, reason), teller)]

    return s.write(plan, f"Correction of paper {paper} of batch {batch} saved.", batch=batch, paper=paper)


def withdraw_paper(s: Session, batch: str, paper: int, reason: str, officer: str) -> Changes:
    """The returning officer takes back a paper keyed by mistake (a paper that is not there, keyed into
    the wrong batch): neither entry of it counts any more. Journaled with her reason; the tellers'
    entries stay in the journal."""
    s.writable()
    officer = clean_name(officer, "officer")
    reason = required_text(reason, "reason for withdrawing the paper")

    def plan(model: Replay) -> list[Write]:
        b = existing_batch(model, batch)
        _keyable(model, batch)
        if all(paper not in b.entries[side] for side in (FIRST, SECOND)):
            raise AppError(f"batch {batch} has no paper {paper}")
        if paper in b.withdrawn:
            raise AppError(f"paper {paper} of batch {batch} is already withdrawn")
        return [Write(ev.PaperWithdrawn(batch, paper, officer, reason), officer)]

    return s.write(plan, f"Paper {paper} of batch {batch} withdrawn by {officer}.", batch=batch, paper=paper)


def candidate_totals(contest: Contest, counts: Mapping[str | int, int]) -> tuple[int, ...]:
    names = contest.names
    totals = [0] * len(names)
    for key, n in counts.items():
        if isinstance(key, int):
            index = key
        else:
            found = [i for i, name in enumerate(names) if name.casefold() == str(key).strip().casefold()]
            if not found:
                raise AppError(f"{key!r} is not a candidate; candidates: {', '.join(names)}")
            index = found[0]
        if not 0 <= index < len(names):
            raise AppError(f"candidate number {index + 1} does not exist")
        if type(n) is not int and not (isinstance(n, int) and not isinstance(n, bool)):
            raise AppError(f"a bundle total must be a whole number ({names[index]}: {n!r})")
        if int(n) < 0:
            raise AppError(f"a bundle total cannot be negative ({names[index]}: {n})")
        if int(n) > MAX_BUNDLE_PAPERS:
            raise AppError(f"a bundle total of {n} votes is far more than a bundle can hold (at most "
                           f"{MAX_BUNDLE_PAPERS:,}); check the figure")
        totals[index] += int(n)
    return tuple(totals)


def check_bundle(contest: Contest, batch: str, totals: Sequence[int], papers: int | None) -> None:
    """A bundle's votes must fit its papers: a valid X-vote paper marks each candidate at most once and
    has from one to `places` votes (the window's bundle grid flags the same as it is typed)."""
    if papers is not None and papers > MAX_BUNDLE_PAPERS:
        raise AppError(f"bundle {batch}: {papers} papers is far more than a bundle can hold (at most "
                       f"{MAX_BUNDLE_PAPERS:,}); check the figure")
    if papers is None or contest.rule not in X_RULES:
        return
    per_paper = max(contest.seats, 1)
    votes = sum(totals)
    if votes > papers * per_paper:
        raise AppError(f"bundle {batch}: {votes} votes cannot come from {papers} papers with at most {per_paper} "
                       f"vote{'s' if per_paper != 1 else ''} each ({papers * per_paper} at most); recount the "
                       "bundle and enter it again; nothing was saved")
    over = [(name, n) for name, n in zip(contest.names, totals, strict=False) if n > papers]
    if over:
        raise AppError(f"bundle {batch}: {over[0][0]} has {over[0][1]} votes but the bundle has only {papers} papers "
                       "and a paper marks a candidate once; recount the bundle and enter it again; nothing was saved")
    if votes < papers:
        raise AppError(f"bundle {batch}: {votes} votes for {papers} papers, but every valid paper has at least one "
                       "vote; recount the bundle, and reject blank papers as 'unmarked'; nothing was saved")


def enter_bundle(s: Session, batch: str, counts: Mapping[str | int, int], teller: str | None = None,
                 second: bool = False, papers: int | None = None, single: bool = False) -> Changes:
    """Journal one bundle's totals of X-votes per candidate (names or indices -> votes)."""
    s.writable()
    side = side_of(second)
    batch = clean_name(batch, "batch label")
    who = clean_name(teller or s.actor, "teller")
    totals = candidate_totals(s.contest, counts)
    if papers is None and s.contest.rule == "fptp":
        papers = sum(totals)  # one X per paper
    if papers is not None and papers < 0:
        raise AppError("the number of papers cannot be negative")
    check_bundle(s.contest, batch, totals, papers)

    def plan(model: Replay) -> list[Write]:
        b = _keyable(model, batch)
        if b is not None and not b.is_bundle and (b.papers[FIRST] or b.papers[SECOND]):
            raise AppError(f"batch {batch} holds single papers; put bundle totals in another batch")
        if b is not None and side in b.bundles:
            raise AppError(f"the {side} entry of bundle {batch} is already recorded", step=Next.RESOLVE_BUNDLE)
        _independent(b, side, who, batch)
        return [Write(ev.BundleTotal(batch, totals, papers, side, single), who)]

    return s.write(plan, f"Bundle totals of batch {batch} saved.", batch=batch)


def resolve_mismatch(s: Session, batch: str, paper: int, marks: Sequence[int] | None, reason: str,
                     officer: str | None = None, rejected: str | None = None) -> Changes:
    """Record what a paper really says after looking at it (None: there is no such paper), or that it
    is rejected under the heading `rejected` (then `marks` must be None)."""
    from opensel_desktop.app.rejections import heading_of

    s.writable()
    reason = required_text(reason, "reason")
    if rejected is not None and marks is not None:
        raise AppError("a paper is either rejected or counted; give its marks or a rejection heading, not both")
    heading = heading_of(s.contest, rejected) if rejected is not None else None
    clean = check_marks(s.contest, marks) if marks is not None else None

    def plan(model: Replay) -> list[Write]:
        b = existing_batch(model, batch)
        _keyable(model, batch)
        if all(paper not in entries for entries in (*b.papers.values(), *b.rejections.values())):
            raise AppError(f"batch {batch} has no paper {paper}")
        return [Write(ev.MismatchResolved(batch, reason, paper=paper, marks=clean, rejected=heading), officer)]

    return s.write(plan, f"Paper {paper} of batch {batch} resolved.", batch=batch, paper=paper)


def resolve_bundle(s: Session, batch: str, counts: Mapping[str | int, int], reason: str,
                   officer: str | None = None, papers: int | None = None) -> Changes:
    """Record a bundle's true totals after a recount of it."""
    s.writable()
    totals = candidate_totals(s.contest, counts)
    reason = required_text(reason, "reason")
    if papers is not None and papers < 0:
        raise AppError("the number of papers cannot be negative")

    def plan(model: Replay) -> list[Write]:
        b = existing_batch(model, batch)
        _keyable(model, batch)
        if not b.is_bundle:
            raise AppError(f"batch {batch} holds single papers, not bundle totals")
        n = papers
        if n is None:
            n = sum(totals) if s.contest.rule == "fptp" else (b.agreed_bundle() or ((), None))[1]
        check_bundle(s.contest, batch, totals, n)
        return [Write(ev.MismatchResolved(batch, reason, counts=totals, papers=n), officer)]

    return s.write(plan, f"Bundle totals of batch {batch} resolved.", batch=batch)


def switch_teller(s: Session, teller: str, role: str = "teller") -> Changes:
    """Journal who is now at the keyboard; later writes default to that name."""
    s.writable()
    teller = clean_name(teller, role)
    changes = s.write(lambda _m: [Write(ev.TellerSwitched(teller, role), teller)],
                      f"{teller} is now at the keyboard.")
    s.actor = teller
    return changes
