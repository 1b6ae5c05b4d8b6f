"""Auditor mode: open read-only, check the file's seal and hash chain and every signature against the
returning officer's pinned key, replay, recount independently and diff against the declared (or latest
provisional) result. Never writes.

`expected_key` is the fingerprint the returning officer published: with it, a file whose pinned key
is another, or whose declaration is unsigned, fails. Without it the report says the signer was not
checked (`signer_checked` False), and the faces say so too: a file can prove that everything in it
was signed by the key it pins, not that the key is the officer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opensel_desktop.app.core import JournalBroken, Session
from opensel_desktop.app.declaring import count_model, result_hash
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.trust import check_signatures
from opensel_desktop.engine import NeedsLot, Result
from opensel_desktop.store import events as ev
from opensel_desktop.store.journal import ChainReport


@dataclass(frozen=True, slots=True)
class Check:
    name: str  # "chain" | "signatures" | "stations" | "replay" | "recount" | "declared result" | "link"
    ok: bool
    message: str  # one sentence


@dataclass(frozen=True, slots=True)
class AuditReport:
    path: str
    contest_id: str
    chain: ChainReport
    checks: tuple[Check, ...]
    result: Result | None = None  # the independent recount, if it could be made
    pinned: str = ""  # the fingerprint of the key pinned in the file
    signer_checked: bool = False  # the pinned key was compared with a fingerprint given by the person checking
    signed: int = 0  # signatures that verified
    unsigned_declaration: bool = False
    state: str = ""  # entering | counted | declared
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def first_bad(self) -> int | None:
        return self.chain.first_bad

    @property
    def needs_signer_check(self) -> bool:
        """Valid, but something in it is signed (or declared) and no published fingerprint was compared."""
        return self.ok and not self.signer_checked and bool(self.pinned or self.signed or self.state == "declared")

    def lines(self) -> list[str]:
        return [f"{'ok  ' if c.ok else 'FAIL'} {c.name}: {c.message}" for c in self.checks]

    def failure(self) -> str:
        """The first failed check as one sentence."""
        bad = next((c for c in self.checks if not c.ok), None)
        return bad.message if bad else ""


def _broken(path: str | Path, exc: JournalBroken) -> AuditReport:
    return AuditReport(str(path), "", exc.chain, (Check("chain", False, exc.chain.message),))


def _trust_checks(s: Session, expected_key: str | None) -> tuple[list[Check], dict[str, Any]]:
    checks = [Check("chain", s.chain.ok, s.chain.message)]
    model = s.model
    info: dict[str, Any] = {"pinned": model.pinned.fingerprint if model.pinned else "", "signed": 0,
                            "unsigned": False, "checked": False}
    if not s.chain.ok:
        return checks, info
    results = [(key, check_signatures(r, expected_key, checkpoints=(i == 0)))
               for i, (key, r) in enumerate(s.meeting.replays.items())]
    bad = next(((k, c) for k, c in results if not c.ok), None)
    signed = sum(c.signed for _k, c in results)
    unsigned = [k or "the contest" for k, c in results if c.unsigned_declaration]
    if bad is not None:
        checks.append(Check("signatures", False, (f"{bad[0]}: " if bad[0] else "") + bad[1].message))
    elif len(results) == 1:
        checks.append(Check("signatures", True, results[0][1].message))
    else:
        checks.append(Check("signatures", True, f"{signed} signature{'s' if signed != 1 else ''} verify against "
                                                f"the pinned key" + (f"; declared WITHOUT a signature: "
                                                                     f"{', '.join(unsigned)}" if unsigned else "") + "."))
    info.update(signed=signed, unsigned=bool(unsigned), checked=expected_key is not None and bad is None)
    if model.merges:
        from opensel_desktop.app.stations import audit_merges

        checks.append(Check("stations", *audit_merges(list(s.events())[: s.chain.events])))
    return checks, info


def verify_file(path: str | Path, expected_key: str | None = None) -> AuditReport:
    """`opensel verify FILE.osel`: the seal, the chain and the signatures only."""
    try:
        session = Session.open(path, "auditor", readonly=True)
    except JournalBroken as exc:
        return _broken(path, exc)
    with session as s:
        checks, info = _trust_checks(s, expected_key)
        return AuditReport(str(path), s.contest_id, s.chain, tuple(checks), None, info["pinned"], info["checked"],
                           info["signed"], info["unsigned"], s.model.state)


def audit(path: str | Path, expected_key: str | None = None) -> AuditReport:
    """The whole audit: seal, chain, signatures, replay, independent recount, diff with the declared result."""
    try:
        session = Session.open(path, "auditor", readonly=True)
    except JournalBroken as exc:
        return _broken(path, exc)
    with session as s:
        checks, info = _trust_checks(s, expected_key)
        result = None
        for key in s.contest_keys:
            s.select(key)
            result = _contest_checks(s, checks, key if len(s.contest_keys) > 1 else "")
        states = {r.state for r in s.meeting.replays.values()}
        state = "declared" if states == {"declared"} else ("entering" if states == {"entering"} else "counted")
        return AuditReport(str(path), s.contest_id, s.chain, tuple(checks), result, info["pinned"],
                           info["checked"], info["signed"], info["unsigned"], state)


def _contest_checks(s: Session, checks: list[Check], key: str) -> Result | None:
    """Replay, recount and diff of one contest of the file (named in each check when a meeting has several)."""
    model = s.model
    named = (lambda what: f"{what} ({key})") if key else (lambda what: what)
    batches = s.batches()
    counting = [b for b in batches if b.counts]
    pending = [b.label for b in batches if not b.counts]
    checks.append(Check(named("replay"), True, f"{len(batches)} batch{'es' if len(batches) != 1 else ''} "
                                               f"({len(counting)} agreed, {sum(b.papers for b in counting)} papers "
                                               "counted" + (f"; not counted: {', '.join(pending)}" if pending else "")
                                               + f"), {sum(s.rejected().values())} rejected, {len(model.lots)} lots "
                                               "replayed."))
    result = None
    holder = model.declared or model.provisional
    try:
        result = count_model(model)
        checks.append(Check(named("recount"), True, "recounted independently: "
                            + (", ".join(result.elected) or "nobody") + " elected."))
    except NeedsLot as need:
        checks.append(Check(named("recount"), model.declared is None,
                            f"the recount needs a lot at stage {need.request.stage} that the journal does not hold."))
    except AppError as exc:
        checks.append(Check(named("recount"), holder is None, exc.message))
    what = "declared" if model.declared is not None else "provisional"
    if holder is not None and result is not None:
        diff = _diff(holder, result, what)
        checks.append(Check(named(diff.name), diff.ok, diff.message))
    elif holder is None:
        checks.append(Check(named("declared result"), True, "no result has been declared or journaled yet."))
    if model.linked_to:
        link = model.linked_to
        checks.append(Check("link", True, f"a recount contest linked to {link.get('file')} (contest "
                                          f"{str(link.get('contest_id'))[:16]}..., head "
                                          f"{str(link.get('head'))[:16]}...)."))
    return result


def same_figures(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two results with the same outcome figure by figure (who, each stage's totals, non-transferable, who
    was elected or excluded and why-kind), whatever the words of their stage reasons or their rule version."""
    def figures(r: dict[str, Any]) -> tuple[Any, ...]:
        return (tuple(r.get("elected") or ()), r.get("quota"),
                tuple((tuple(sorted((st.get("votes") or {}).items())), st.get("non_transferable"),
                       tuple(st.get("elected") or ()), tuple(st.get("excluded") or ()), st.get("action"))
                      for st in r.get("stages") or ()))
    return figures(a) == figures(b)


def _diff(journaled: ev.Declared | ev.CountRun | ev.Recount, result: Result, what: str) -> Check:
    name = "declared result" if what == "declared" else "provisional result"
    mine = result.to_json_dict()
    if journaled.digest == result_hash(result) and journaled.result == mine:
        return Check(name, True, f"the recount matches the {what} result exactly (result hash "
                                 f"{journaled.digest[:16]}...).")
    theirs = journaled.result
    then, now = theirs.get("rule_version"), mine.get("rule_version")
    if then != now and same_figures(theirs, mine):
        # a later release of the same rule: the outcome must agree figure by figure; only words may differ
        return Check(name, True, f"the recount matches the {what} result figure by figure at every stage; it was "
                                 f"counted under {then} and is recounted under {now} (the stage reasons' wording "
                                 "may differ).")
    if list(theirs.get("elected", [])) != list(mine["elected"]):
        return Check(name, False, f"the recount elects {', '.join(mine['elected']) or 'nobody'} but the {what} "
                                  f"result elected {', '.join(theirs.get('elected', [])) or 'nobody'}.")
    for i, (a, b) in enumerate(zip(theirs.get("stages", []), mine["stages"], strict=False), start=1):
        if a != b:
            return Check(name, False, f"the recount differs from the {what} result at stage {i}.")
    return Check(name, False, f"the recount differs from the {what} result (result hash "
                              f"{journaled.digest[:16]}... against {result_hash(result)[:16]}...).")
