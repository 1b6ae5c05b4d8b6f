"""Auditor mode: open read-only, verify the chain and the journaled signatures, replay, recount
independently and diff against the declared (or latest provisional) result. Never writes.

A signature event (`signature_recorded`, written when a sheet is signed, app/sheets.py) cites the
head of the event holding the signed result and the sheet's digest = SHA-256(canonical result JSON
+ head) (CONTRACT.md); the audit recomputes that digest from the journal. The PDF's own signature is
checked by `opensel verify SHEET.pdf --contest MEETING.osel` (report/verify.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opensel_desktop.app.errors import AppError
from opensel_desktop.app.session import JournalBroken, Session, result_digest
from opensel_desktop.engine import NeedsLot, Result
from opensel_desktop.store import events as ev
from opensel_desktop.store.events import Event, canonical_json
from opensel_desktop.store.journal import ChainReport


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # "chain" | "signatures" | "replay" | "recount" | "declared result"
    ok: bool
    message: str  # one sentence


@dataclass(frozen=True, slots=True)
class AuditReport:
    path: str
    contest_id: str
    chain: ChainReport
    checks: tuple[Check, ...]
    result: Result | None = None  # the independent recount, if it could be made

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def first_bad(self) -> int | None:
        return self.chain.first_bad

    def lines(self) -> list[str]:
        return [f"{'ok  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in self.checks]

    def failure(self) -> str:
        """The first failed check as one sentence naming the file (for a refusal)."""
        bad = next((c for c in self.checks if not c.ok), None)
        return f"{self.path}: {bad.message}" if bad else ""


def signature_checks(events: list[Event]) -> Check:
    """Every journaled signature must cite an earlier result event whose digest it carries."""
    by_hash = {e.hash: e for e in events}
    n = 0
    for e in events:
        if e.kind != ev.SIGNATURE_RECORDED:
            continue
        n += 1
        d = e.data
        head = d.get("head")
        if not head:
            continue  # a signature of something other than a result sheet: nothing to recompute
        cited = by_hash.get(head)
        if cited is None or cited.seq >= e.seq or "result" not in cited.data:
            return Check("signatures", False, f"event {e.seq} (signature recorded) cites a result that is not "
                                              "earlier in the journal.")
        text = canonical_json(cited.data["result"])
        digest = hashlib.sha256((text + head).encode("utf-8")).hexdigest()
        if d.get("digest") != digest:
            return Check("signatures", False, f"event {e.seq} (signature recorded) does not match the result of "
                                              f"event {cited.seq} it cites.")
    if n == 0:
        return Check("signatures", True, "no signatures are recorded in the journal.")
    what = f"{n} recorded signatures match" if n != 1 else "the recorded signature matches"
    return Check("signatures", True, f"{what} the journaled result cited (check each signed PDF with "
                                     "`opensel verify SHEET.pdf --contest`).")


def _broken(path: str | Path, exc: JournalBroken) -> AuditReport:
    return AuditReport(str(path), "", exc.chain, (Check("chain", False, exc.chain.message),))


def verify_file(path: str | Path) -> AuditReport:
    """`opensel verify FILE.osel`: the chain and the journaled signatures only."""
    try:
        session = Session.open(path, "auditor", readonly=True)
    except JournalBroken as exc:
        return _broken(path, exc)
    with session as s:
        checks = [Check("chain", s.chain.ok, s.chain.message)]
        if s.chain.ok:
            checks.append(signature_checks(list(s.events())))
        return AuditReport(str(path), s.contest_id, s.chain, tuple(checks))


def audit(path: str | Path) -> AuditReport:
    """The whole audit: chain, signatures, replay, independent recount, diff with the declared result."""
    try:
        session = Session.open(path, "auditor", readonly=True)
    except JournalBroken as exc:
        return _broken(path, exc)
    with session as s:
        events = list(s.events())
        checks = [Check("chain", s.chain.ok, s.chain.message)]
        checks.append(signature_checks(events[: s.chain.events]))
        if any(e.kind == ev.BATCH_MERGED for e in events[: s.chain.events]):
            # issue 12: re-verify each merged batch file
            from opensel_desktop.app.stations import audit_merges

            checks.append(Check("stations", *audit_merges(events[: s.chain.events])))
        batches = s.batches()
        counting = [b for b in batches if b.counts]
        pending = [b.label for b in batches if not b.counts]
        checks.append(Check("replay", True, f"{len(batches)} batch{'es' if len(batches) != 1 else ''} "
                                            f"({len(counting)} agreed, "
                                            f"{sum(b.papers for b in counting)} papers counted"
                                            + (f"; not counted: {', '.join(pending)}" if pending else "")
                                            + f"), {sum(s.rejected().values())} rejected, {len(s.lots())} lots "
                                            "replayed."))
        result = None
        try:
            result = s.count(journal=False)
            checks.append(Check("recount", True, "recounted independently: "
                                + (", ".join(result.elected) or "nobody") + " elected."))
        except NeedsLot as need:
            checks.append(Check("recount", s.declared is None,
                                f"the recount needs a lot at stage {need.request.stage} that the journal does not "
                                "hold."))
        except AppError as exc:
            checks.append(Check("recount", s.declared is None and s.provisional is None, str(exc)))
        holder, what = (s.declared, "declared") if s.declared is not None else (s.provisional, "provisional")
        if holder is not None and result is not None:
            checks.append(_diff(holder, result, what))
        elif holder is None:
            checks.append(Check("declared result", True, "no result has been declared or journaled yet."))
        if s.replay.linked_to:
            link = s.replay.linked_to
            checks.append(Check("link", True, f"a recount contest linked to {link.get('file')} (contest "
                                              f"{str(link.get('contest_id'))[:16]}..., head {str(link.get('head'))[:16]}...)."))
        return AuditReport(str(path), s.contest_id, s.chain, tuple(checks), result)


def _diff(journaled: dict[str, Any], result: Result, what: str) -> Check:
    name = "declared result" if what == "declared" else "provisional result"
    if journaled.get("digest") == result_digest(result):
        return Check(name, True, f"the recount matches the {what} result exactly (digest "
                                 f"{journaled.get('digest', '')[:16]}...).")
    mine = result.to_json_dict()
    theirs = journaled.get("result") or {}
    if list(theirs.get("elected", [])) != list(mine["elected"]):
        return Check(name, False, f"the recount elects {', '.join(mine['elected']) or 'nobody'} but the {what} "
                                  f"result elected {', '.join(theirs.get('elected', [])) or 'nobody'}.")
    for i, (a, b) in enumerate(zip(theirs.get("stages", []), mine["stages"], strict=False), start=1):
        if a != b:
            return Check(name, False, f"the recount differs from the {what} result at stage {i}.")
    return Check(name, False, f"the recount differs from the {what} result (digest "
                              f"{journaled.get('digest', '')[:16]}... against {result_digest(result)[:16]}...).")
