"""Rejected ballot papers: under the contest's headings, by a teller while keying or by the officer.

A teller who rejects a numbered paper of a batch makes that teller's entry of the paper: it takes part
in the double-entry comparison like a keyed paper, and counts once the batch agrees. The officer's
rejection of papers outside any batch (her adjudication at the table) counts at once. A rejection
recorded in error is withdrawn with a reason; both stay in the journal.
"""

from __future__ import annotations

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write, clean_name, required_text
from opensel_desktop.app.entry import _independent, _keyable, side_of
from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.model import Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay


def heading_of(contest: Contest, heading: str) -> str:
    match = [h for h in contest.rejection_headings if h.casefold() == heading.strip().casefold()]
    if not match:
        raise AppError(f"{heading!r} is not a rejection heading of this contest; use one of: "
                       + "; ".join(contest.rejection_headings))
    return match[0]


def reject(s: Session, heading: str, count: int = 1, teller: str | None = None, batch: str = "",
           paper: int | None = None, note: str = "", second: bool = False, single: bool = False) -> Changes:
    """Journal rejected papers under one of the contest's headings.

    With a batch of papers and a paper number, the rejection is that teller's entry of the paper
    (`second=True`: the second teller's blind entry). Otherwise (the officer's adjudication of papers
    not in a batch) it counts at once. `note` records who objected to the rejection, if anyone did."""
    s.writable()
    heading = heading_of(s.contest, heading)
    if count < 1:
        raise AppError("the number of rejected papers must be at least 1")
    note = (note or "").strip()
    if note:
        note = required_text(note, "note")
    if second and (not batch.strip() or paper is None):
        raise AppError("a second entry's rejection is the entry of one paper; give its batch and paper number")
    who = clean_name(teller or s.actor, "teller")
    if not (batch.strip() and paper is not None):
        label = clean_name(batch, "batch label") if batch.strip() else ""

        def officer_plan(model: Replay) -> list[Write]:
            return [Write(ev.PaperRejected(label, heading, count, paper, note), who)]

        return s.write(officer_plan, f"{count} paper{'s' if count != 1 else ''} rejected as {heading!r}.",
                       batch=label, paper=paper)
    batch, side = clean_name(batch, "batch label"), side_of(second)
    if count != 1 or paper < 1:
        raise AppError("one numbered paper is rejected at a time, and paper numbers start at 1")

    def plan(model: Replay) -> list[Write]:
        b = model.batches.get(batch)
        if b is not None and b.is_bundle:  # a rejection beside a bundle's totals: the officer's kind
            return [Write(ev.PaperRejected(batch, heading, 1, paper, note), who)]
        _keyable(model, batch)
        if b is not None and second and b.single:
            raise AppError(f"batch {batch} is a single-entry batch; it takes no second entry")
        if b is not None and paper in b.papers[side]:
            raise AppError(f"paper {paper} of batch {batch} is already entered as valid; to reject it now, resolve "
                           "it as rejected (the officer's decision)")
        if b is not None and paper in b.rejections[side]:
            raise AppError(f"paper {paper} of batch {batch} is already rejected ({b.rejections[side][paper]}); "
                           "withdraw that rejection first to change it")
        _independent(b, side, who, batch)
        single_now = single or (b is not None and b.single and not second)
        return [Write(ev.PaperRejected(batch, heading, 1, paper, note, side, single_now), who)]

    return s.write(plan, f"Paper {paper} of batch {batch} saved as rejected ({heading}).", batch=batch, paper=paper)


def correct_rejection(s: Session, reason: str, event: int | None = None, batch: str = "", paper: int | None = None,
                      second: bool = False, teller: str | None = None) -> Changes:
    """Withdraw a rejection recorded in error: by its journal event number (as the journal shows it), or
    by the batch and paper it rejected. Appends `rejection_withdrawn` with the reason; the rejection
    stays in the journal and replay no longer counts it (nor compares it)."""
    s.writable()
    reason = required_text(reason, "reason for withdrawing the rejection")
    if event is None and (not batch or paper is None):
        raise AppError("say which rejection to withdraw: its event number in the journal, or its batch and "
                       "paper number")

    def plan(model: Replay) -> list[Write]:
        standing = model.rejection_events
        if event is None:
            side = side_of(second)
            b = model.batches.get(batch)
            if b is None or paper not in b.rejections[side]:
                raise AppError(f"paper {paper} of batch {batch} has no rejection in the {side} entry to withdraw")
            cited = next((seq for seq, r in standing.items() if (r.batch, r.paper, r.side) == (batch, paper, side)),
                         None)
            body = ev.RejectionWithdrawn(batch, b.rejections[side][paper], reason, cited, 1, paper, side)
        else:
            record = standing.get(event)
            if record is None:
                raise AppError(f"event {event} is not a rejection that still stands; find the rejection's number "
                               "in the journal")
            body = ev.RejectionWithdrawn(record.batch, record.heading, reason, event, record.count, record.paper,
                                         record.side)
        return [Write(body, teller)]

    def said(written: list[ev.Event]) -> str:
        d = written[0].body
        assert isinstance(d, ev.RejectionWithdrawn)
        what = f"paper {d.paper} of batch {d.batch}" if d.side else f"{d.count} paper(s)"
        return f"Rejection of {what} as {d.heading!r} withdrawn."

    return s.write(plan, said, batch=batch, paper=paper)
