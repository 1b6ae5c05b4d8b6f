"""Trigger ballots and motions: every threshold, denominator and combination option,
edges exactly at the threshold, units that did not vote, changed returns, casting votes."""

from __future__ import annotations

import pytest

from opensel_desktop.contest.kinds import validate_section
from opensel_desktop.engine import Ballots, CountError, Election, count
from opensel_desktop.engine.rules import trigger as trigger_rule


def section(name: str, node: object) -> object:
    problems: list[tuple[tuple, str]] = []
    value = validate_section(name, node, (), lambda path, msg: problems.append((path, msg)))
    assert problems == []
    return value


def problems_of(name: str, node: object, names: tuple[str, ...] = ()) -> list[tuple[tuple, str]]:
    problems: list[tuple[tuple, str]] = []
    validate_section(name, node, names, lambda path, msg: problems.append((path, msg)))
    return problems


def run(kind: str, node: dict, names: tuple[str, ...] = ("Jane Smith",), ballots: Ballots | None = None):
    election = Election(names=names, seats=1, ballots=ballots or Ballots.from_rankings([]),
                        extra={kind: section(kind, node)})
    return count(kind, election)


def units(yes: int, no: int, none: int = 0, silent: int = 0) -> list:
    """yes/no/none returns, plus `silent` units that sent no return at all."""
    out: list = [{"name": f"Y{i}", "decision": True} for i in range(yes)]
    out += [{"name": f"N{i}", "decision": "no"} for i in range(no)]
    out += [{"name": f"D{i}", "decision": "none"} for i in range(none)]
    out += [f"S{i}" for i in range(silent)]
    return out


def trig(branches: list, affiliates: list, **opts) -> dict:
    return {"member": "Jane Smith", **opts, "classes": [{"name": "Branches", "units": branches},
                                                        {"name": "Affiliates", "units": affiliates}]}


# ---- thresholds: exactly at, just below ---------------------------------------------------
@pytest.mark.parametrize(
    ("rule_set", "yes", "no", "outcome"),
    [
        ("labour-2018", 3, 6, "triggered"),  # exactly one third of 9 voting
        ("labour-2018", 2, 5, "not triggered"),  # 2/7 < 1/3
        ("labour-2018", 1, 2, "triggered"),  # 1/3 exactly
        ("labour-2021", 4, 4, "triggered"),  # exactly one half
        ("labour-2021", 3, 4, "not triggered"),
    ],
)
def test_threshold_met_at_or_above(rule_set, yes, no, outcome):
    r = run("trigger", trig(units(yes, no), units(0, 5), rule_set=rule_set))
    assert r.decision["outcome"] == outcome
    assert r.rule == "trigger" and r.rule_version == rule_set and r.elected == ()
    assert [s.action for s in r.stages] == ["round"]


def test_labour_2021_is_marked_verify_on_the_sheet():
    r = run("trigger", trig(units(1, 1), units(0, 1), rule_set="labour-2021"))
    assert "verify" in r.decision["verify"].lower()
    assert "verify" not in run("trigger", trig(units(1, 1), units(0, 1))).decision


def test_units_that_did_not_vote_count_only_with_denominator_all():
    # 3 yes of 9 voting meets 1/3; of all 12 units it does not (3/12 < 1/3)
    b = units(3, 6, none=1, silent=2)
    voting = run("trigger", trig(b, units(0, 3)))
    everyone = run("trigger", trig(b, units(0, 3), denominator="all"))
    assert voting.decision["outcome"] == "triggered"
    assert everyone.decision["outcome"] == "not triggered"
    figs = everyone.decision["figures"]["Branches"]
    assert figs == {"yes": 3, "no": 6, "did_not_vote": 3, "denominator": 12, "needed": 4, "met": False}
    assert everyone.rule_version == "labour-2018-modified"


def test_a_class_where_no_unit_voted_never_triggers():
    r = run("trigger", trig(units(0, 0, none=2), units(0, 0, silent=3)))
    assert r.decision["outcome"] == "not triggered"
    assert r.decision["figures"]["Affiliates"]["denominator"] == 0


@pytest.mark.parametrize(
    ("combine", "branches", "affiliates", "outcome"),
    [
        ("or", (1, 3), (2, 2), "triggered"),  # affiliates alone meet 1/3
        ("and", (1, 3), (2, 2), "not triggered"),  # branches 1/4 < 1/3
        ("and", (2, 4), (1, 2), "triggered"),  # both exactly 1/3
        ("pooled", (1, 3), (1, 3), "not triggered"),  # 2 of 8 pooled < 1/3
        ("pooled", (1, 3), (2, 2), "triggered"),  # 3 of 8 pooled >= 1/3
    ],
)
def test_combination_rules(combine, branches, affiliates, outcome):
    r = run("trigger", trig(units(*branches), units(*affiliates), combine=combine))
    assert r.decision["outcome"] == outcome
    assert r.decision["combine"] == combine


def test_threshold_per_class_and_custom_rule_set():
    node = {"rule_set": "custom", "threshold": "50%", "denominator": "voting", "combine": "and",
            "classes": [{"name": "Branches", "units": units(2, 2)},
                        {"name": "Affiliates", "threshold": "2/3", "units": units(2, 1)}]}
    r = run("trigger", node)
    assert r.decision["threshold"] == {"Branches": "1/2", "Affiliates": "2/3"}
    assert r.decision["outcome"] == "triggered"
    node["classes"][1]["units"] = units(1, 1)
    assert run("trigger", node).decision["outcome"] == "not triggered"


def test_a_changed_return_counts_and_keeps_its_history():
    branch = {"name": "Riverside", "returns": [
        {"decision": "no", "for": 10, "against": 12, "meeting": "2026-10-01", "reported_by": "Branch secretary"},
        {"decision": "yes", "for": 13, "against": 12, "reason": "Recount at the branch: two votes missed",
         "received": "2026-10-09"},
    ]}
    r = run("trigger", trig([branch, *units(0, 2)], units(0, 3)))
    assert r.decision["outcome"] == "triggered"  # 1 of 3 branches = one third
    assert r.decision["changed_returns"] == [
        {"unit": "Riverside", "class": "Branches", "from": "no", "to": "yes",
         "reason": "Recount at the branch: two votes missed", "received": "2026-10-09", "reported_by": ""}]
    value = section("trigger", trig([branch], []))
    assert len(value["classes"][0]["units"][0]["returns"]) == 2  # nothing overwritten


def test_a_changed_return_without_a_reason_is_refused_at_its_place():
    node = trig([{"name": "Riverside", "returns": [{"decision": "no"}, {"decision": "yes"}]}], [])
    problems = problems_of("trigger", node)
    assert len(problems) == 1
    assert problems[0][0] == ("classes", 0, "units", 0, "returns", 1)
    assert "reason" in problems[0][1]


def test_trigger_section_problems_are_located():
    node = {"rule_set": "labour-1999", "combine": "xor", "threshold": "3/2",
            "classes": [{"name": "B", "units": [{"name": "X", "decision": "maybe"}, "X"]}]}
    where = {p for p, _ in problems_of("trigger", node)}
    assert {("rule_set",), ("combine",), ("threshold",), ("classes", 0, "units", 0, "decision"),
            ("classes", 0, "units", 1)} <= where


def test_running_tally_reports_what_is_still_needed():
    spec = trigger_rule.spec_from_plain(section("trigger", trig(units(1, 4), units(0, 1))))
    met, tallies = trigger_rule.tally(spec)
    assert not met
    assert (tallies[0].yes, tallies[0].needed) == (1, 2)


# ---- motions -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("node", "outcome"),
    [
        ({"majority": "simple", "for": 21, "against": 20, "abstain": 30}, "carried"),
        ({"majority": "absolute", "abstentions": "counted", "for": 21, "against": 20, "abstain": 30}, "lost"),
        ({"majority": "absolute", "of": "present", "present": 42, "for": 21, "against": 20}, "lost"),  # exactly half
        ({"majority": "absolute", "of": "present", "present": 41, "for": 21, "against": 20}, "carried"),
        ({"majority": "two_thirds", "for": 20, "against": 10}, "carried"),  # exactly two thirds
        ({"majority": "two_thirds", "for": 19, "against": 10}, "lost"),
        ({"majority": "two_thirds", "of": "present", "present": 31, "for": 20, "against": 10}, "lost"),
        ({"majority": "simple", "for": 0, "against": 0}, "lost"),
    ],
)
def test_motion_majorities(node, outcome):
    r = run("motion", {"text": "This branch supports open selection.", **node})
    assert r.decision["outcome"] == outcome
    assert r.rule == "motion" and r.elected == () and r.stages[0].action == "round"


def test_motion_decided_by_the_chairs_casting_vote():
    lost = run("motion", {"for": 15, "against": 15, "casting_vote": "against"})
    carried = run("motion", {"for": 15, "against": 15, "casting_vote": "for"})
    assert (lost.decision["outcome"], carried.decision["outcome"]) == ("lost", "carried")
    assert carried.decision["casting_vote"] == "for"
    assert "casting vote" in carried.stages[0].reason


def test_tie_without_a_recorded_casting_vote_is_refused_not_guessed():
    with pytest.raises(CountError, match="casting_vote: for"):
        run("motion", {"for": 15, "against": 15})


def test_status_quo_and_no_casting_vote():
    assert run("motion", {"for": 9, "against": 9, "casting_vote_rule": "status_quo"}).decision["outcome"] == "lost"
    assert run("motion", {"for": 9, "against": 9, "casting_vote_rule": "none"}).decision["outcome"] == "lost"


def test_casting_vote_given_without_a_tie_is_a_located_problem():
    problems = problems_of("motion", {"for": 10, "against": 9, "casting_vote": "for"})
    assert [p for p, _ in problems] == [("casting_vote",)]


def test_motion_from_x_vote_papers():
    names = ("For", "Against", "Abstain")
    ballots = Ballots.from_rankings([((0,), 12), ((1,), 7), ((2,), 3), ((0, 1), 2)])  # last: void, two marks
    r = run("motion", {"majority": "two_thirds"}, names=names, ballots=ballots)
    assert r.decision["figures"] == {"for": 12, "against": 7, "abstain": 3}
    assert r.decision["outcome"] == "lost"  # 12 of 19 < two thirds


# ---- the examples load, count and print from the CLI -------------------------------------------------
@pytest.mark.parametrize(("example", "outcome"), [("trigger-ballot", "triggered"), ("motion", "carried")])
def test_examples_count_from_the_cli(example, outcome, capsys):
    import json
    from pathlib import Path

    from opensel_desktop.cli import main

    path = Path(__file__).resolve().parents[2] / "resources" / "examples" / f"{example}.yaml"
    assert main(["count", str(path), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["decision"]["outcome"] == outcome
    assert result["elected"] == [] and [s["action"] for s in result["stages"]] == ["round"]
    assert main(["count", str(path)]) == 0
    assert outcome in capsys.readouterr().out


def test_trigger_example_changed_return_decides_it(tmp_path, capsys):
    """Without Hillside's corrected return the branches are 1 of 5 and nothing is triggered."""
    from pathlib import Path

    from opensel_desktop.cli import main

    text = (Path(__file__).resolve().parents[2] / "resources/examples/trigger-ballot.yaml").read_text("utf-8")
    start = text.index("            - {decision: yes, for: 13")
    end = text.index("        - name: Old Town")
    edited = tmp_path / "first-returns-only.yaml"
    edited.write_text(text[:start] + text[end:], encoding="utf-8")
    assert main(["count", str(edited)]) == 0
    assert "no selection is triggered" in capsys.readouterr().out


def test_a_broken_trigger_file_is_one_located_refusal(tmp_path, capsys):
    from opensel_desktop.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: opensel-contest/1\nkind: trigger\ntitle: T\nmethod: {rule: trigger}\n"
                   "trigger:\n  classes:\n    - name: B\n      units:\n        - {name: X, decision: maybe}\n",
                   encoding="utf-8")
    assert main(["count", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:9:" in err and "decision" in err and "Traceback" not in err


def test_a_decision_its_own_figures_contradict_is_flagged_not_changed():
    odd = {"name": "Docklands", "returns": [{"decision": "yes", "for": 10, "against": 12}]}
    tied = {"name": "Quayside", "returns": [{"decision": "no", "for": 7, "against": 7}]}
    r = run("trigger", trig([odd, tied, *units(0, 1)], units(0, 2)))
    assert r.decision["figures_disagree"] == ["Docklands"]
    assert r.decision["figures"]["Branches"]["yes"] == 1  # counted as returned
    assert "Docklands" in r.stages[0].reason


def test_trigger_and_motion_stages_add_up():
    for kind, node in (("trigger", trig(units(2, 3, none=1, silent=1), units(1, 1))),
                       ("motion", {"for": 5, "against": 4, "abstain": 2})):
        r = run(kind, node)
        stage = r.stages[0]
        assert sum(stage.votes.values()) + stage.non_transferable == r.valid_poll
