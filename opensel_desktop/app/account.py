"""May this count go ahead? The ballot paper account must reconcile, or an override be recorded.

DOMAIN.md 2.2: refuse to move on until issued - spoilt - unused = papers found, and papers found =
counted + rejected, unless the variance is explained. The CLI (`count --override-account REASON`)
and the GUI (the override dialog) both call `require_reconciled`; the reason returned here is what
the store journals and the report prints next to the account.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from opensel_desktop.app.errors import AppError
from opensel_desktop.contest.account import BallotPaperAccount, account_of
from opensel_desktop.contest.model import Contest


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
    """The account, if the count may go ahead; AppError (one sentence, what to do) if not.

    An account that does not reconcile is accepted only with a reason: `override`, or explanations
    the returning officer recorded in the contest for every channel with a variance.
    """
    account = account_of(contest, counted, rejected)
    if account.reconciles:
        return AccountDecision(account)
    if override is not None:
        if not override.strip():
            raise AppError(f"{contest.source or 'the contest'}: an override of the ballot paper account needs a "
                           "reason; write what was found and why the count goes ahead.")
        return AccountDecision(account, override.strip())
    if account.explained:
        return AccountDecision(account, account.explanation)
    first = account.problems()[0] if account.problems() else "it does not balance."
    raise AppError(f"{contest.source or 'the contest'}: the ballot paper account does not reconcile ({first.rstrip('.')}); "
                   "correct the account, or count anyway with --override-account REASON.")
