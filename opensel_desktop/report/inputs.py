"""What a sheet is built from: frozen values only (the contest, its result, the account, the journal head,
and the facts the journal holds that a challenge turns on: who keyed, who witnessed a lot, which
rejections were objected to, each trigger-ballot unit's return).

The same SheetInput always lays out the same pages with the same text (no clock, no randomness), so a
sheet can be rebuilt from its contest and compared with a printed or signed copy.

The ballot paper account arrives either as `contest.account` values or as a plain mapping;
`account_rows` turns whichever it is into rows a sheet can print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from opensel_desktop.contest.model import Contest
from opensel_desktop.engine.result import Result


@dataclass(frozen=True, slots=True)
class Signatory:
    role: str  # "Returning officer", "Teller", "Scrutineer"
    name: str = ""


@dataclass(frozen=True, slots=True)
class LotRecord:
    """How a lot was drawn, as the journal recorded it: the witness the returning officer named."""

    stage: int
    among: tuple[str, ...]
    purpose: str
    witness: str = ""


@dataclass(frozen=True, slots=True)
class RejectionNote:
    """A rejection the journal records with a note, such as "rejection objected to by X's agent"."""

    heading: str
    papers: int
    note: str
    batch: str = ""
    paper: int | None = None


@dataclass(frozen=True, slots=True)
class UnitReturn:
    """One unit's latest return to a trigger ballot, with what the earlier returns said."""

    unit_class: str
    unit: str
    decision: str  # "yes" | "no" | "none" (did not vote)
    votes_for: int | None = None
    votes_against: int | None = None
    abstain: int | None = None
    meeting: str = ""
    how: str = ""
    reported_by: str = ""
    received: str = ""
    reason: str = ""  # why the latest return replaced an earlier one
    earlier: tuple[str, ...] = ()  # the decisions of earlier returns, oldest first


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One channel of the ballot paper account, with its variance explained."""

    channel: str
    issued: int
    spoilt: int
    unused: int
    found: int | None  # papers found in the box / returned; None = not yet recorded
    entered: int | None = None  # valid papers entered for this channel, where papers carry their channel
    explanation: str = ""

    @property
    def expected(self) -> int:
        """Papers that should be in the box: issued, less spoilt (replaced) and unused."""
        return self.issued - self.spoilt - self.unused

    @property
    def variance(self) -> int | None:
        return None if self.found is None else self.found - self.expected


@dataclass(frozen=True, slots=True)
class SheetInput:
    contest: Contest
    result: Result
    contest_id: str
    head: str = ""  # journal head hash; "" for a contest file that has no journal
    declared: bool = False  # False prints PROVISIONAL across every page
    account: Any = None  # contest.account value, a mapping, or None (use the contest's channels)
    rejected: Mapping[str, int] | None = None  # heading -> papers; None = the contest's own figures
    declared_at: str = ""  # "2026-11-25 22:41" as the app formats it; the sheet never reads a clock
    place: str = ""
    signatories: tuple[Signatory, ...] = ()
    software_version: str = ""
    notes: tuple[str, ...] = ()  # e.g. an override reason recorded at declaration
    extra: dict[str, Any] = field(default_factory=dict)
    # who signs: printed on every page and carried in the QR code ("" = the sheet is not signed)
    signer: str = ""
    fingerprint: str = ""  # SHA-256 of the signer's certificate, colon hex as `opensel keygen` prints it
    # facts from the journal (empty for a contest file)
    keyed_by: tuple[str, ...] = ()  # tellers who keyed the batches that count, in order of first entry
    lot_records: tuple[LotRecord, ...] = ()
    rejection_notes: tuple[RejectionNote, ...] = ()
    entered_by_channel: tuple[tuple[str, int], ...] = ()  # valid papers per channel, where papers carry one
    unit_returns: tuple[UnitReturn, ...] = ()  # trigger ballot: every unit, in class and ballot order

    @property
    def title(self) -> str:
        return self.contest.title or self.result.title or self.contest_id

    @property
    def rejected_by_heading(self) -> dict[str, int]:
        src = self.rejected
        if src is None:
            src = _get(_get(self.account, "statement", None) or self.account, "rejected", None)
        if src is None:
            src = self.contest.rejected
        out = {str(k): int(v) for k, v in dict(src).items()}
        rounds = self.result.parameters.get("rounds") if self.result.rule == "exhaustive" else None
        for r in rounds if isinstance(rounds, list) else ():  # an exhaustive ballot rejects papers round by round
            for h, n in ((r.get("rejected") or {}) if isinstance(r, dict) else {}).items():
                out[str(h)] = out.get(str(h), 0) + int(n)
        return out

    @property
    def tellers(self) -> tuple[str, ...]:
        """The contest file's tellers, else those the journal shows keying the papers that count."""
        return tuple(self.contest.tellers) or self.keyed_by

    @property
    def electorate(self) -> int | None:
        value = self.contest.extra.get("electorate") if isinstance(self.contest.extra, dict) else None
        try:
            return int(value) if value not in (None, "", False) else None  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return None

    @property
    def state(self) -> str:
        return "declared" if self.declared else "provisional"

    def witness_of(self, stage: int, among: tuple[str, ...], purpose: str) -> str:
        for lot in self.lot_records:
            if lot.stage == stage and set(lot.among) == set(among) and lot.purpose == purpose:
                return lot.witness
        return ""

    @property
    def people(self) -> tuple[Signatory, ...]:
        if self.signatories:
            return self.signatories
        out = [Signatory("Returning officer", self.contest.returning_officer)]
        out += [Signatory("Teller", t) for t in self.tellers]
        scrutineer = self.contest.extra.get("scrutineer") if isinstance(self.contest.extra, dict) else None
        out.append(Signatory("Scrutineer", str(scrutineer) if scrutineer else ""))
        if not self.tellers:
            out.insert(1, Signatory("Teller", ""))
        return tuple(out)


def _get(obj: Any, name: str, default: Any) -> Any:
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _opt_int(v: Any) -> int | None:
    return None if v is None else int(v)


def account_statement_of(sheet: SheetInput) -> Any:
    """The account as given (a session's Account wraps `statement`), else the contest file's own."""
    acct = sheet.account
    inner = _get(acct, "statement", None)
    if inner is not None:
        return inner
    if acct is not None:
        return acct
    from opensel_desktop.contest.account import account_of

    return account_of(sheet.contest)


def account_rows(sheet: SheetInput) -> tuple[AccountRow, ...]:
    """The account's channels from whatever form it came in (contest.account values or a mapping)."""
    acct = account_statement_of(sheet)
    per_channel = dict(sheet.entered_by_channel)
    rows = []
    for ch in _get(acct, "channels", None) or ():
        found = _get(ch, "found", None)
        if found is None:
            found = _get(ch, "returned", None)
        name = str(_get(ch, "name", _get(ch, "channel", "papers")))
        counted = _get(ch, "counted", None)
        if counted is None:
            counted = per_channel.get(name)
        rows.append(AccountRow(
            channel=name,
            issued=int(_get(ch, "issued", 0) or 0),
            spoilt=int(_get(ch, "spoilt", 0) or 0),
            unused=int(_get(ch, "unused", 0) or 0),
            found=_opt_int(found),
            entered=_opt_int(counted),
            explanation=str(_get(ch, "explanation", "") or ""),
        ))
    return tuple(rows)


def papers_entered(sheet: SheetInput) -> int | None:
    """Valid papers entered (all channels), when the account knows it."""
    return _opt_int(_get(account_statement_of(sheet), "counted", None))


def override_reason(sheet: SheetInput) -> str:
    """Why the count went ahead although the account did not reconcile (recorded at declaration)."""
    return str(_get(sheet.account, "override_reason", "") or sheet.extra.get("override_reason") or "")
