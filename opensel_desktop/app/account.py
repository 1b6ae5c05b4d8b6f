"""The ballot paper account, and whether a count may go ahead.

Before a count: issued - spoilt - unused must equal the papers found in each channel, and papers found
must equal papers counted + rejected, unless every variance is explained. One rule for every face and
every step: a count (provisional or recount), a declaration and a result sheet of a contest whose
account does not reconcile, or that has no account at all, go ahead only with an override reason
(`--override-reason TEXT` on the command line, the override dialog in the window), which is journaled
and printed beside the account.

`Account` is the meeting's account so far: the same `contest.account.BallotPaperAccount` statement the
contest-file count and the sheets print (so screen and paper agree), plus what only a live meeting has
(batches not yet agreed, batches still out at a teller station, bundle figures).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write, clean_name, required_text
from opensel_desktop.app.errors import AppError, Next
from opensel_desktop.contest.account import BallotPaperAccount, account_of
from opensel_desktop.contest.model import Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay

ELECTION_KIND = "election"


@dataclass(frozen=True, slots=True)
class AccountDecision:
    account: BallotPaperAccount
    override_reason: str | None = None  # set when the count goes ahead although the account does not reconcile

    @property
    def overridden(self) -> bool:
        return self.override_reason is not None


def require_reconciled(contest: Contest, override: str | None = None,
                       counted: Mapping[str | None, int] | None = None,
                       rejected: Mapping[str, int] | None = None) -> AccountDecision:
    """A contest file's account, if the count may go ahead; AppError (one sentence, what to do) if not.

    An account that does not reconcile is accepted only with a reason: `override`, or explanations
    the returning officer recorded in the contest for every channel with a variance.
    """
    account = account_of(contest, counted, rejected)
    if account.reconciles:
        return AccountDecision(account)
    if override is not None:
        if not override.strip():
            raise AppError("an override of the ballot paper account needs a reason; write what was found and why "
                           "the count goes ahead")
        return AccountDecision(account, required_text(override, "reason for the override"))
    if account.explained:
        return AccountDecision(account, account.explanation)
    first = account.problems()[0] if account.problems() else "it does not balance."
    raise AppError(f"the ballot paper account does not reconcile ({first.rstrip('.')})",
                   step=Next.RECORD_ACCOUNT_OR_OVERRIDE)


@dataclass(frozen=True, slots=True)
class Account:
    """The ballot paper account of the meeting so far. Acceptable when it reconciles, or every variance
    is explained."""

    statement: BallotPaperAccount
    pending: tuple[str, ...]  # batches entered but not yet agreed (they do not count)
    problems: tuple[str, ...]  # one sentence each; empty when acceptable
    outstanding: tuple[str, ...] = ()  # batches issued to a teller station whose batch file is not merged yet
    # X-vote bundles that count: the papers in them (part of `counted`) and the votes on those papers.
    # The account compares papers; the count adds votes (a block paper carries up to one per place).
    bundle_papers: int = 0
    bundle_votes: int = 0
    started: bool = True  # False before any paper is entered or figure recorded: nothing to reconcile yet
    kind: str = ELECTION_KIND
    rule: str = ""

    @property
    def counted(self) -> int:
        return self.statement.counted or 0

    @property
    def rejected(self) -> dict[str, int]:
        return dict(self.statement.rejected)

    @property
    def reconciles(self) -> bool:
        return not self.problems

    @property
    def missing(self) -> bool:
        """No account is recorded at all (no channel's figures) in an election whose papers are counted."""
        return not self.statement.recorded and self.kind == ELECTION_KIND and self.rule != "exhaustive"

    def lines(self) -> list[str]:
        out = self.statement.lines()
        if self.bundle_papers or self.bundle_votes:
            out.append(f"Bundle totals: {self.bundle_papers} papers carrying {self.bundle_votes} votes (the account "
                       "counts papers; the count adds up votes).")
        out.extend(f"Batch {label} is not agreed yet and is not counted." for label in self.pending)
        return out


def bundle_figures(model: Replay) -> tuple[int, int]:
    """Papers in the agreed X-vote bundles, and the votes on them (a block paper carries several)."""
    papers_in = votes_on = 0
    for b in model.counting_batches():
        agreed = b.agreed_bundle() if b.is_bundle else None
        if agreed is not None:
            votes, papers = agreed
            papers_in += papers or 0
            votes_on += sum(votes)
    return papers_in, votes_on


def counted_by_channel(model: Replay) -> dict[str | None, int]:
    """Papers that count, per channel they were tagged with (None: not tagged)."""
    out: dict[str | None, int] = {}
    for b in model.counting_batches():
        out[b.channel] = out.get(b.channel, 0) + b.paper_count()
    return out


def account_of_model(model: Replay) -> Account:
    assert model.contest is not None
    contest = model.contest
    rejected = model.rejected_counts()
    with_figures = replace(contest, channels=tuple(model.channels.values()), rejected=rejected)
    by_channel = counted_by_channel(model)
    statement = account_of(with_figures, counted=by_channel, rejected=rejected)
    pending = tuple(b.label for b in model.batches.values() if not b.status().counts)
    problems: list[str] = []
    if not (statement.reconciles or statement.explained):
        problems.extend(statement.problems())
    problems.extend(f"batch {label} is not agreed yet ({model.batches[label].status().state})." for label in pending)
    for b in model.counting_batches():
        if b.is_bundle and (b.agreed_bundle() or ((), None))[1] is None:
            problems.append(f"batch {b.label}: the number of papers in the bundle is not recorded.")
    bundle_papers, bundle_votes = bundle_figures(model)
    outstanding = tuple(model.outstanding_batches())
    problems.extend(f"batch {label} was issued to station {label.split('/')[0]} and is not returned yet."
                    for label in outstanding)
    started = bool(model.batches or model.channels or any(model.rejected.values()))
    return Account(statement, pending, tuple(problems), outstanding, bundle_papers, bundle_votes, started,
                   contest.kind, contest.rule)


def override_needed(account: Account, reason: str | None, what: str, declaring: bool = False) -> str | None:
    """The override reason to journal, or None when the account is acceptable; refuses without one.

    A batch not yet agreed blocks a declaration outright; a provisional count may go ahead over it with a
    reason (the batch does not count). A declaration also needs a reason when no account was recorded at
    all (a count need not: there is nothing to reconcile yet)."""
    text = (reason or "").strip()
    if account.pending and (declaring or not text):
        raise AppError(f"batch {account.pending[0]} is not agreed yet; it must be agreed before the {what}",
                       step=Next.FINISH_SECOND_ENTRY)
    if account.reconciles:
        if declaring and account.missing and not text:
            raise AppError("no ballot paper account is recorded (papers issued, spoilt, unused and found, per "
                           "channel)", step=Next.RECORD_ACCOUNT_OR_OVERRIDE)
        return text or None
    if text:
        return required_text(text, "reason for the override")
    if account.outstanding:
        label = account.outstanding[0]
        raise AppError(f"batch {label} was issued to station {label.split('/')[0]} and its batch file is not "
                       "merged yet", step=Next.MERGE_OR_OVERRIDE)
    raise AppError(f"the ballot paper account does not reconcile ({account.problems[0].rstrip('.')})",
                   step=Next.RECORD_ACCOUNT_OR_OVERRIDE)


def record_account(s: Session, channel: str, issued: int, spoilt: int, unused: int, returned: int | None = None,
                   explanation: str = "", actor: str | None = None) -> Changes:
    """Journal one channel's ballot paper account figures (later figures replace earlier ones)."""
    from opensel_desktop.contest.limits import MAX_PAPERS

    s.writable()
    channel = clean_name(channel, "channel name")
    for label, value in (("issued", issued), ("spoilt", spoilt), ("unused", unused), ("returned", returned)):
        if value is not None and value < 0:
            raise AppError(f"papers {label} cannot be negative")
        if value is not None and value > MAX_PAPERS:
            raise AppError(f"papers {label}: {value} is more than any meeting issues (at most {MAX_PAPERS:,}); "
                           "check the figure")
    if spoilt + unused > issued:
        raise AppError(f"channel {channel}: spoilt and unused papers ({spoilt + unused}) exceed the papers issued "
                       f"({issued}); check the figures")
    explanation = required_text(explanation, "explanation") if (explanation or "").strip() else ""
    body = ev.AccountFigures(channel, issued, spoilt, unused, returned, explanation)
    return s.write(lambda _m: [Write(body, actor)], f"Account figures for {channel} saved.")
