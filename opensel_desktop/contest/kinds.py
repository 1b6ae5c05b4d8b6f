"""Kind-specific sections of a contest file: exhaustive-ballot `rounds`, `trigger` and `motion`.

The YAML loader (yaml_io) validates the common structure and hands these sections here. Each
validator receives the parsed node (plain dicts/lists from yaml.safe_load), the candidate names,
and `problem(node_path, message)` to report a problem at that node's line and column; it returns
the value stored in `Contest.extra[section]`: plain, JSON-able data (str, int, lists, dicts), so the
store can journal it and `dump_contest` can write it back unchanged.

`node_path` is relative to the section node: ("units", 2) inside `trigger` is trigger.classes[..].
The loader prefixes the section key when it turns a path into file:line:column.
docs/quotas-and-meetings.md documents every key.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from opensel_desktop.contest.limits import MAX_PAPERS, digits_problem
from opensel_desktop.contest.names import name_problem, quoted, skeleton
from opensel_desktop.engine.rules import motion as motion_rule
from opensel_desktop.engine.rules import trigger as trigger_rule

Report = Callable[[tuple[Any, ...], str], None]
Path = tuple[Any, ...]

SECTIONS = ("rounds", "trigger", "motion")
MAX_TEXT = 2000  # a motion's text or a return's reason: a few sentences


def validate_section(section: str, node: Any, names: tuple[str, ...], problem: Report) -> Any:
    """Validate one kind-specific section; returns what goes into Contest.extra[section]."""
    if section == "rounds":
        return validate_rounds(node, names, problem)
    if section == "trigger":
        return validate_trigger(node, problem)
    if section == "motion":
        return validate_motion(node, problem)
    problem((), f"unknown section {section!r}; the kind-specific sections are {', '.join(SECTIONS)}.")
    return None


# ---- small checks ---------------------------------------------------------------------
def is_count(value: Any) -> bool:
    """A figure of papers or votes: a whole number from 0 to the most a contest holds (contest/limits.py)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PAPERS


def count_words(value: Any) -> str:
    """Why `value` is not a count, as the end of a sentence."""
    digits = digits_problem(value)
    if digits is not None:
        return f"{quoted(value)} {digits}"
    if isinstance(value, int) and not isinstance(value, bool) and value > MAX_PAPERS:
        return f"{value:,} is more than the {MAX_PAPERS:,} papers a contest can hold"
    return f"it must be a whole number of 0 or more, not {quoted(value)}"


def count_at(node: dict[str, Any], key: str, path: Path, problem: Report, required: bool = False) -> int | None:
    value = node.get(key)
    if value is None:
        if required:
            problem(path, f"`{key}` is missing: give a whole number of 0 or more.")
        return None
    if not is_count(value):
        problem(path + (key,), f"`{key}`: {count_words(value)}.")
        return None
    return int(value)


def text_at(node: dict[str, Any], key: str, path: Path, problem: Report) -> str:
    value = node.get(key)
    if value is None:
        return ""
    if isinstance(value, datetime.date):  # safe_load turns 2026-10-01 into a date: keep it as written
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        bad = name_problem(str(value), f"`{key}`", MAX_TEXT)
        if bad is not None:
            problem(path + (key,), bad + ".")
            return ""
        return str(value)
    problem(path + (key,), f"`{key}` must be text, not {type(value).__name__}.")
    return ""


def choice_at(node: dict[str, Any], key: str, allowed: tuple[str, ...], path: Path, problem: Report) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    if value not in allowed:
        problem(path + (key,), f"`{key}` must be one of {', '.join(allowed)}, not {value!r}.")
        return None
    return str(value)


def mapping(node: Any, path: Path, problem: Report, what: str) -> dict[str, Any] | None:
    if not isinstance(node, dict):
        problem(path, f"{what} must be a mapping of keys to values.")
        return None
    return node


def unknown_keys(node: dict[str, Any], allowed: tuple[str, ...], path: Path, problem: Report) -> None:
    for key in node:
        if key not in allowed:
            problem(path + (key,), f"unknown key `{key}`; allowed here: {', '.join(allowed)}.")


def fraction_at(node: dict[str, Any], key: str, path: Path, problem: Report) -> str | None:
    value = node.get(key)
    if value is None:
        return None
    try:
        f = trigger_rule.fraction(value)
    except (ValueError, ZeroDivisionError, TypeError):
        problem(path + (key,), f"`{key}` must be a fraction such as 1/3, 1/2 or 50%, not {value!r}.")
        return None
    if not 0 < f <= 1:
        problem(path + (key,), f"`{key}` must be more than 0 and at most 1, not {value!r}.")
        return None
    return f"{f.numerator}/{f.denominator}"


# ---- rounds (exhaustive ballot) ---------------------------------------------------------
ROUND_KEYS = ("votes", "papers", "rejected", "account", "withdraw")


def validate_rounds(node: Any, names: tuple[str, ...], problem: Report) -> list[dict[str, Any]]:
    if not isinstance(node, list):
        problem((), "`rounds` must be a list, one entry per round of voting.")
        return []
    out = []
    known = set(names)
    for i, r in enumerate(node):
        here: Path = (i,)
        if mapping(r, here, problem, f"round {i + 1}") is None:
            continue
        unknown_keys(r, ROUND_KEYS, here, problem)
        votes: dict[str, int] = {}
        v = r.get("votes")
        if mapping(v, here + ("votes",), problem, f"round {i + 1}'s `votes`") is not None:
            for name, n in v.items():
                if name not in known:
                    problem(here + ("votes", name), f"{name!r} is not a candidate in this contest; check the spelling.")
                elif not is_count(n):
                    problem(here + ("votes", name), f"votes for {name}: {count_words(n)}.")
                else:
                    votes[str(name)] = int(n)
        entry: dict[str, Any] = {"votes": votes}
        papers = count_at(r, "papers", here, problem)
        if papers is not None:
            entry["papers"] = papers
        rejected: dict[str, int] = {}
        if r.get("rejected") is not None and mapping(r["rejected"], here + ("rejected",), problem,
                                                     "`rejected`") is not None:
            for heading, n in r["rejected"].items():
                bad = name_problem(str(heading), "rejection heading")
                if bad is not None:
                    problem(here + ("rejected", heading), bad + ".")
                elif not is_count(n):
                    problem(here + ("rejected", heading), f"rejected papers: {count_words(n)}.")
                else:
                    rejected[str(heading)] = int(n)
        entry["rejected"] = rejected
        if r.get("account") is not None and mapping(r["account"], here + ("account",), problem,
                                                    "`account`") is not None:
            acc = r["account"]
            unknown_keys(acc, ("issued", "spoilt", "unused"), here + ("account",), problem)
            figs = {k: count_at(acc, k, here + ("account",), problem) for k in ("issued", "spoilt", "unused")}
            if all(x is not None for x in figs.values()):
                entry["account"] = figs
                valid = papers if papers is not None else sum(votes.values())
                used = figs["issued"] - figs["spoilt"] - figs["unused"]  # type: ignore[operator]
                if used != valid + sum(rejected.values()):
                    problem(here + ("account",),
                            f"round {i + 1}'s ballot paper account does not balance: {figs['issued']} issued, less "
                            f"{figs['spoilt']} spoilt and {figs['unused']} unused, is {used}, but {valid} valid and "
                            f"{sum(rejected.values())} rejected papers were counted; recount the round.")
        withdraw = r.get("withdraw") or []
        if not isinstance(withdraw, list):
            problem(here + ("withdraw",), "`withdraw` must be a list of candidate names.")
            withdraw = []
        ok = []
        for j, name in enumerate(withdraw):
            if name not in known:
                problem(here + ("withdraw", j), f"{name!r} is not a candidate in this contest; check the spelling.")
            elif name in votes and votes[name]:
                problem(here + ("withdraw", j), f"{name} withdraws before round {i + 1} but has votes in it.")
            else:
                ok.append(str(name))
        if ok:
            entry["withdraw"] = ok
        out.append(entry)
    return out


# ---- trigger ballot --------------------------------------------------------------------
TRIGGER_KEYS = ("member", "rule_set", "threshold", "denominator", "combine", "classes")
CLASS_KEYS = ("name", "threshold", "units")
UNIT_KEYS = ("name", "returns", "decision", "for", "against", "abstain", "meeting", "reported_by", "how",
             "received", "reason")
RETURN_KEYS = ("decision", "for", "against", "abstain", "meeting", "reported_by", "how", "received", "reason")


def decision_of(value: Any) -> str | None:
    # YAML 1.1 reads yes/no as booleans: accept both spellings
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "none"
    text = str(value).strip().lower().replace(" ", "_")
    return {"yes": "yes", "no": "no", "none": "none", "did_not_vote": "none", "abstained": "none"}.get(text)


def validate_return(r: dict[str, Any], path: Path, problem: Report, first: bool) -> dict[str, Any] | None:
    if "decision" not in r:
        problem(path, "a return needs `decision: yes`, `no` or `none` (did not vote).")
        return None
    decision = decision_of(r["decision"])
    if decision is None:
        problem(path + ("decision",), f"`decision` must be yes, no or none (did not vote), not {r['decision']!r}.")
        return None
    out: dict[str, Any] = {"decision": decision}
    for key in ("for", "against", "abstain"):
        n = count_at(r, key, path, problem)
        if n is not None:
            out[key] = n
    for key in ("meeting", "reported_by", "how", "received", "reason"):
        t = text_at(r, key, path, problem)
        if t:
            out[key] = t
    if not first and not out.get("reason"):
        problem(path, "a later return replaces an earlier one: give the `reason` it was changed (late, disputed, "
                      "corrected); the earlier return stays on record.")
    return out


def validate_unit(u: Any, path: Path, problem: Report) -> dict[str, Any] | None:
    if isinstance(u, str):
        bad = name_problem(u, "unit's name")
        if bad is not None:
            problem(path, bad + ".")
            return None
        return {"name": u, "returns": []}
    if mapping(u, path, problem, "a unit") is None:
        return None
    unknown_keys(u, UNIT_KEYS, path, problem)
    name = text_at(u, "name", path, problem)
    if not name:
        if u.get("name") in (None, ""):  # (a name that is not plain text was reported by text_at)
            problem(path, "a unit needs a `name`.")
        return None
    returns: list[dict[str, Any]] = []
    if "returns" in u:
        if "decision" in u:
            problem(path + ("decision",), "give either `decision` or a list of `returns`, not both.")
        if not isinstance(u["returns"], list):
            problem(path + ("returns",), "`returns` must be a list, oldest first.")
        else:
            for j, r in enumerate(u["returns"]):
                if mapping(r, path + ("returns", j), problem, "a return") is not None:
                    unknown_keys(r, RETURN_KEYS, path + ("returns", j), problem)
                    got = validate_return(r, path + ("returns", j), problem, first=j == 0)
                    if got is not None:
                        returns.append(got)
    elif "decision" in u:
        got = validate_return({k: v for k, v in u.items() if k not in ("name", "returns")}, path, problem, True)
        if got is not None:
            returns.append(got)
    return {"name": name, "returns": returns}


def validate_trigger(node: Any, problem: Report) -> dict[str, Any]:
    if mapping(node, (), problem, "`trigger`") is None:
        return {}
    unknown_keys(node, TRIGGER_KEYS, (), problem)
    out: dict[str, Any] = {}
    rule_set = node.get("rule_set", "labour-2018")
    if not isinstance(rule_set, str) or (rule_set not in trigger_rule.RULE_SETS and rule_set != "custom"):
        problem(("rule_set",), f"`rule_set` must be one of {', '.join(trigger_rule.RULE_SETS)}, custom; "
                               f"not {rule_set!r}.")
    out["rule_set"] = str(rule_set)
    member = text_at(node, "member", (), problem)
    if member:
        out["member"] = member
    threshold = fraction_at(node, "threshold", (), problem)
    for key, allowed in (("denominator", trigger_rule.DENOMINATORS), ("combine", trigger_rule.COMBINES)):
        got = choice_at(node, key, allowed, (), problem)
        if got:
            out[key] = got
        elif rule_set == "custom" and key not in node:
            problem((), f"the custom rule set needs `{key}` ({' or '.join(allowed)}).")
    if threshold:
        out["threshold"] = threshold
    elif rule_set == "custom":
        problem((), "the custom rule set needs a `threshold` (for example 1/3).")
    classes = node.get("classes")
    if not isinstance(classes, list) or not classes:
        problem(("classes",) if "classes" in node else (),
                "`classes` must list at least one class of units (for example branches, then affiliates).")
        classes = []
    out["classes"] = []
    seen_classes: set[str] = set()
    for i, k in enumerate(classes):
        if mapping(k, ("classes", i), problem, "a class") is None:
            continue
        unknown_keys(k, CLASS_KEYS, ("classes", i), problem)
        name = text_at(k, "name", ("classes", i), problem)
        if not name:
            if k.get("name") in (None, ""):  # (a name that is not plain text was reported by text_at)
                problem(("classes", i), "a class needs a `name` (for example Party branches).")
        elif skeleton(name) in seen_classes:
            problem(("classes", i, "name"), f"the class {quoted(name)} is listed twice (or reads the same as another "
                                            "class: a letter from another alphabet, another case or spacing).")
        seen_classes.add(skeleton(name))
        entry: dict[str, Any] = {"name": name, "units": []}
        t = fraction_at(k, "threshold", ("classes", i), problem)
        if t:
            entry["threshold"] = t
        units = k.get("units")
        if not isinstance(units, list):
            problem(("classes", i, "units") if "units" in k else ("classes", i), "`units` must be a list of units.")
            units = []
        seen: set[str] = set()
        for j, u in enumerate(units):
            unit = validate_unit(u, ("classes", i, "units", j), problem)
            if unit is None:
                continue
            if skeleton(unit["name"]) in seen:
                problem(("classes", i, "units", j), f"the unit {quoted(unit['name'])} is listed twice in {name} (or "
                                                    "reads the same as another unit there: a letter from another "
                                                    "alphabet, another case or spacing); give one entry with all "
                                                    "its returns.")
                continue
            seen.add(skeleton(unit["name"]))
            entry["units"].append(unit)
        out["classes"].append(entry)
    return out


# ---- motion ----------------------------------------------------------------------------
MOTION_KEYS = ("text", "majority", "of", "abstentions", "present", "for", "against", "abstain",
               "casting_vote_rule", "casting_vote", "source")


def validate_motion(node: Any, problem: Report) -> dict[str, Any]:
    if mapping(node, (), problem, "`motion`") is None:
        return {}
    unknown_keys(node, MOTION_KEYS, (), problem)
    out: dict[str, Any] = {}
    text = text_at(node, "text", (), problem)
    if text:
        out["text"] = text
    for key, allowed in (("majority", motion_rule.MAJORITIES), ("of", motion_rule.DENOMINATORS),
                         ("abstentions", ("ignored", "counted")), ("casting_vote_rule", motion_rule.CASTING_RULES),
                         ("source", ("cards", "papers", "hands"))):
        got = choice_at(node, key, allowed, (), problem)
        if got:
            out[key] = got
    figures = {k: count_at(node, k, (), problem) for k in ("for", "against", "abstain", "present")}
    for k, v in figures.items():
        if v is not None:
            out[k] = v
    for key in ("for", "against"):
        if key in node and node[key] is None:  # (a figure that could not be read is reported where it is)
            problem((key,), f"`{key}` is empty; give a whole number of 0 or more.")
    if ("for" in node) != ("against" in node):
        problem((), "give both `for` and `against` (or neither, to count X-vote papers for For / Against).")
    if out.get("of") == "present" and figures["present"] is None:
        problem(("of",), "the majority is of members present: record `present` too.")
    given = sum(v or 0 for k, v in figures.items() if k != "present")
    if figures["present"] is not None and figures["present"] < given:
        problem(("present",), f"{figures['present']} present is fewer than the {given} votes and abstentions "
                              "recorded; correct the figures.")
    casting = node.get("casting_vote")
    if casting is not None:
        if casting not in ("for", "against"):
            problem(("casting_vote",), f"`casting_vote` must be for or against, not {casting!r}.")
        elif out.get("casting_vote_rule", "chair") != "chair":
            problem(("casting_vote",), "a casting vote is recorded but `casting_vote_rule` gives the chair none.")
        elif figures["for"] is not None and figures["for"] != figures["against"]:
            problem(("casting_vote",), f"a casting vote is only used when the votes are equal, and here they are "
                                       f"{figures['for']} for and {figures['against']} against; remove it.")
        else:
            out["casting_vote"] = casting
    return out
