"""Journal events in words: one sentence per event, the same on `opensel log` and in the auditor's table
(UX.md principle 5: the screen and the printed words agree)."""

from __future__ import annotations

from typing import Any

from opensel_desktop.contest.model import Contest
from opensel_desktop.store import events as ev
from opensel_desktop.store.events import Event


def describe(e: Event, contest: Contest) -> str:
    """What the event recorded, in one line (its kind, who and when are shown beside it)."""
    d: dict[str, Any] = e.data
    names = contest.names

    def marks(m: list[int] | None) -> str:
        if m is None:
            return "no such paper"
        sep = " > " if contest.ranked else ", "
        return sep.join(names[i] if 0 <= i < len(names) else f"#{i + 1}" for i in m)

    k = e.kind
    if k == ev.CONTEST_CREATED:
        return f"contest created: {d['contest'].get('title', '')} ({d['contest'].get('rule')})"
    if k == ev.PAPER_ENTERED:
        return f"paper {d['paper']} entered ({d.get('side', 'first')} entry): {marks(d['marks'])}"
    if k == ev.PAPER_CORRECTED:
        return f"paper {d['paper']} corrected ({d.get('side')} entry): {marks(d['marks'])}; reason: {d.get('reason')}"
    if k == ev.BUNDLE_TOTAL:
        totals = ", ".join(f"{names[i]}={n}" for i, n in enumerate(d["counts"]) if i < len(names))
        return f"bundle totals ({d.get('side')} entry): {totals}" + \
            (f"; {d['papers']} papers" if d.get("papers") is not None else "")
    if k == ev.MISMATCH_RESOLVED:
        what = f"paper {d['paper']}: {marks(d.get('marks'))}" if "paper" in d else "bundle totals"
        if d.get("rejected"):
            what = f"paper {d['paper']}: rejected as {d['rejected']!r}"
        return f"mismatch resolved, {what}; reason: {d.get('reason')}"
    if k == ev.PAPER_REJECTED:
        who = f"paper {d['paper']} ({d['side']} entry) " if d.get("side") else ""
        return f"{who}{d.get('count', 1)} rejected as {d['heading']!r}" + (f" ({d['note']})" if d.get("note") else "")
    if k == ev.BATCH_SINGLE_ENTRY:
        return f"batch keyed once (no second entry), decided by {d.get('officer')}; reason: {d.get('reason')}"
    if k == ev.REJECTION_WITHDRAWN:
        what = f"paper {d['paper']} ({d['side']} entry)" if d.get("side") else f"{d.get('count')} paper(s)"
        cited = f" (event {d['event']})" if d.get("event") else ""
        return f"rejection{cited} of {what} as {d.get('heading')!r} withdrawn; reason: {d.get('reason')}"
    if k == ev.ACCOUNT_FIGURES:
        return (f"account {d['channel']}: issued {d['issued']}, spoilt {d['spoilt']}, unused {d['unused']}, "
                f"returned {d.get('returned')}")
    if k == ev.LOT_DRAWN:
        return (f"lot at stage {d['stage']} among {', '.join(d['among'])}: {d['chosen']} ({d['how']}"
                + (f", seed {d['seed']}" if d.get("seed") else "") + f"; witness {d.get('witness')})")
    if k in (ev.COUNT_RUN, ev.RECOUNT, ev.DECLARED):
        label = {"count_run": "provisional result", "recount": "recount", "declared": "DECLARED"}[k]
        extra = f"; override: {d['override_reason']}" if d.get("override_reason") else ""
        return f"{label}: {', '.join(d.get('elected', [])) or 'nobody'} elected; digest {d.get('digest')}{extra}"
    if k == ev.SIGNATURE_RECORDED:
        return f"signature of {d.get('what')} by {d.get('signer')}; digest {d.get('digest')}"
    if k == ev.TELLER_SWITCHED:
        return f"{d.get('teller')} now at the keyboard ({d.get('role')})"
    if k == ev.STATION_REGISTERED:  # issue 12
        issued = ", ".join(f"{b['label']} (papers {b['first']}-{b['last']})" for b in d.get("batches", ()))
        return (f"station {d['station']} registered; batches issued: {issued or 'none'}; public key "
                f"{d.get('public_key')}; pack SHA-256 {d.get('pack_sha256')}")
    if k == ev.BATCH_MERGED:
        numbers = d.get("paper_numbers") or []
        span = f" (papers {min(numbers)}-{max(numbers)})" if numbers else ""
        return (f"batch {d['batch']} of station {d['station']} merged as {d.get('label')}: {d.get('papers')} "
                f"papers{span} from {d.get('file')}; file SHA-256 {d.get('file_sha256')}")
    if k == ev.ROUND_ENTERED:  # issue 7
        counts = ", ".join(f"{n}={v}" for n, v in (d.get("round", {}).get("counts") or {}).items())
        return f"round entered (round {d.get('number')} of the exhaustive ballot): {counts}"
    if k == ev.UNIT_RETURN_ENTERED:  # issue 9
        r = d.get("return", {})
        said = {"yes": "yes", "no": "no", "none": "did not vote"}.get(r.get("decision"), r.get("decision"))
        return (f"return of {d.get('unit')} ({d.get('class')}): {said}, reported by {r.get('reported_by')}"
                + (f"; reason: {r['reason']}" if r.get("reason") else ""))
    return k.replace("_", " ")
