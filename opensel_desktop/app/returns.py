"""Trigger ballots: each unit's return (yes, no, did not vote) entered as it arrives, and the tally.

The latest return of a unit counts; a unit that already has one (in the contest file or entered here)
needs the reason it changed (late, disputed, corrected), and the earlier return stays on record: a
late or disputed return never overwrites silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import Session, Write, clean_name, required_text
from opensel_desktop.app.errors import AppError
from opensel_desktop.engine.errors import CountError
from opensel_desktop.engine.rules import trigger as trigger_rule
from opensel_desktop.store import events as ev
from opensel_desktop.store.replay import Replay

SAID = {"yes": "yes", "no": "no", "none": "did not vote"}  # a return's decision, as people say it


@dataclass(frozen=True, slots=True)
class TriggerStatus:
    """A trigger ballot as it stands: the contest file's returns plus every one entered since, tallied by
    the rule set (engine/rules/trigger.py); what the command line prints and the window shows live."""

    spec: trigger_rule.TriggerSpec
    triggered: bool
    tallies: tuple[trigger_rule.ClassTally, ...]

    def more_needed(self, t: trigger_rule.ClassTally) -> int | None:
        """Further yes returns (from units yet to return) that would meet the class's threshold; None if
        the units yet to return cannot reach it (only a changed return could)."""
        for k in range(t.not_voted + 1):
            denom = t.denominator + k if self.spec.denominator == "voting" else t.denominator
            if denom and t.yes + k >= trigger_rule.needed_for(t.threshold, denom):
                return k
        return None

    def lines(self) -> list[str]:
        out = [trigger_rule.class_sentence(t, self.spec.denominator) + "." for t in self.tallies]
        if self.triggered:
            out.append(f"Threshold met under {self.spec.version}: a full selection is triggered.")
            return out
        gaps = []
        for t in self.tallies:
            k = self.more_needed(t)
            gaps.append(f"{t.name} needs {k} more yes return{'s' if k != 1 else ''}" if k is not None else
                        f"{t.name} cannot reach it with the {t.not_voted} unit(s) yet to return")
        joined = "; ".join(gaps)
        rule = "one class is enough" if self.spec.combine == "or" else "every class must reach it"
        out.append(f"Threshold not met under {self.spec.version} ({rule}): no selection is triggered so far; "
                   f"{joined}.")
        return out


def trigger_plain(model: Replay) -> dict[str, Any]:
    """The contest file's `trigger` section with every journaled return appended to its unit."""
    assert model.contest is not None
    plain = model.contest.extra.get("trigger")
    if not isinstance(plain, Mapping):
        return {}
    out: dict[str, Any] = {**plain, "classes": [
        {**k, "units": [{**u, "returns": list(u.get("returns") or ())} for u in k.get("units") or ()]}
        for k in plain.get("classes") or ()
    ]}
    units = {(k["name"], u["name"]): u for k in out["classes"] for u in k["units"]}
    for r in model.unit_returns:
        if (r.unit_class, r.unit) in units:  # the session only journals units of the contest
            units[(r.unit_class, r.unit)]["returns"].append(r.ret)
    return out


def trigger_status(s: Session) -> TriggerStatus:
    """The running tally of a trigger ballot: what is met, and how many more yes returns are needed."""
    if s.contest.rule != "trigger":
        raise AppError(f"this contest is counted by {s.contest.rule}, not a trigger ballot")
    try:
        spec = trigger_rule.spec_from_plain(trigger_plain(s.replay))
    except CountError as exc:
        raise AppError(str(exc)) from None
    triggered, tallies = trigger_rule.tally(spec)
    return TriggerStatus(spec, triggered, tuple(tallies))


def find_unit(model: Replay, unit: str, unit_class: str | None) -> tuple[str, dict[str, Any]]:
    """(class name, unit) by exact name, else case-insensitive; refuses unknown or ambiguous names."""
    classes = trigger_plain(model).get("classes") or []
    if unit_class is not None:
        classes = [k for k in classes if k["name"].lower() == unit_class.strip().lower()]
        if not classes:
            raise AppError(f"there is no class {unit_class!r} of units in this trigger ballot")
    wanted = (unit or "").strip()
    pairs = [(k["name"], u) for k in classes for u in k["units"]]
    found = [p for p in pairs if p[1]["name"] == wanted] or \
            [p for p in pairs if p[1]["name"].lower() == wanted.lower()]
    shown = wanted if len(wanted) <= 80 else wanted[:77] + "..."  # a hostile name is not echoed whole
    if not found:
        names = ", ".join(u["name"] for _, u in pairs[:30]) + (", ..." if len(pairs) > 30 else "")
        raise AppError(f"there is no unit {shown!r} in this trigger ballot; units: {names}")
    if len(found) > 1:
        raise AppError(f"the unit {shown!r} is in several classes ({', '.join(k for k, _ in found)}); say which "
                       "class")
    return found[0]


def enter_unit_return(s: Session, unit: str, decision: str, reported_by: str, reason: str | None = None,
                      figures: Mapping[str, int] | None = None, meeting_date: str | None = None, *,
                      unit_class: str | None = None, actor: str | None = None) -> Changes:
    """Journal one unit's return to a trigger ballot (`unit_return_entered`)."""
    from opensel_desktop.contest.kinds import decision_of, validate_return

    s.writable()
    if s.contest.rule != "trigger":
        raise AppError(f"unit returns are only entered for a trigger ballot (this contest is counted by "
                       f"{s.contest.rule})")
    chosen = decision_of(str(decision).strip().replace("-", "_")) if str(decision).strip() else None
    if chosen is None:
        raise AppError(f"the decision must be yes, no or did-not-vote, not {decision!r}")
    if not (reported_by or "").strip():
        raise AppError("say who reported the return (the branch secretary, for example) and try again")
    node: dict[str, Any] = {"decision": chosen, "reported_by": clean_name(reported_by, "name of who reported it")}
    if (reason or "").strip():
        node["reason"] = required_text(reason, "reason")
    for key, value in (figures or {}).items():
        if key not in ("for", "against", "abstain"):
            raise AppError(f"a unit's vote figures are for, against and abstain, not {key!r}")
        if value is not None:
            node[key] = value
    if meeting_date:
        try:
            node["meeting"] = datetime.strptime(str(meeting_date).strip(), "%Y-%m-%d").date().isoformat()
        except ValueError:
            raise AppError(f"the meeting date must be written YYYY-MM-DD, not {meeting_date!r}") from None
    node["received"] = s.clock()[:10]
    holder: dict[str, str] = {}

    def plan(model: Replay) -> list[Write]:
        klass, current = find_unit(model, unit, unit_class)
        if current["returns"] and not node.get("reason"):
            was = SAID.get(current["returns"][-1]["decision"], "?")
            raise AppError(f"{current['name']} already has a return ({was}); a changed return needs the reason it "
                           "changed (late, disputed, corrected), and the earlier one stays on record",
                           hint_cli="give it with --reason.", hint_gui="give it in the Reason box.")
        problems: list[str] = []
        checked = validate_return(node, (), lambda _path, msg: problems.append(msg), first=not current["returns"])
        if problems or checked is None:
            raise AppError(f"{current['name']}: {(problems or ['the return is not valid.'])[0]}")
        was = current["returns"][-1]["decision"] if current["returns"] else None
        holder["message"] = (f"Return of {current['name']} saved: {SAID[chosen]}" +
                             (f" (was {SAID.get(was, was)}; the earlier return stays on record)." if was else "."))
        return [Write(ev.UnitReturnEntered(klass, current["name"], checked), actor)]

    return s.write(plan, lambda _w: holder["message"])
