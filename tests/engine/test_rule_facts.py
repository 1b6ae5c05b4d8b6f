"""The rules' facts are said once (engine/rule_facts.py) and agree with what each rule does."""

import subprocess
import sys

import pytest

from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.yaml_io import parse_contest
from opensel_desktop.engine import RULES, Ballots, Election, count
from opensel_desktop.engine.rule_facts import FACTS, RANKED, SINGLE_SEAT_RULES, X_RULES, XVOTE


def test_every_registered_rule_has_facts_and_the_module_agrees():
    assert list(RULES) == list(FACTS)
    for name in RULES:
        info = RULES[name]
        assert info.name == name and info.facts is FACTS[name]


def _election(rule: str) -> Election:
    names = ("Ann", "Bob", "Cat")
    rows = [[0, 1], [0, 2], [0, 1], [1, 0], [1, 2], [2, 1]]  # Ann 3, Bob 2, Cat 1: no ties
    if FACTS[rule].ballot == XVOTE:
        rows = [[0], [0], [0], [1], [1], [2]]
    seats = 1 if FACTS[rule].one_seat else 2
    return Election(names=names, seats=seats, ballots=Ballots.from_rankings(((r, 1) for r in rows), 3), title="t")


@pytest.mark.parametrize("rule", [r for r, f in FACTS.items() if f.ballot in (RANKED, XVOTE)])
def test_a_count_is_shown_with_the_places_the_facts_give(rule):
    result = count(rule, _election(rule))
    assert result.places == FACTS[rule].places
    assert len(result.elected) == (1 if FACTS[rule].one_seat else 2)


@pytest.mark.parametrize("rule", SINGLE_SEAT_RULES)
def test_a_one_place_rule_is_refused_two_places_in_a_contest_file(rule):
    marks = "marks" if rule in X_RULES else "ranking"
    text = (f"title: t\ncandidates: [Ann, Bob]\nmethod: {{rule: {rule}, seats: 2}}\n"
            f"ballots:\n  - {{{marks}: [Ann]}}\n")
    with pytest.raises(ContestError, match="fills one place"):
        parse_contest(text.encode())


def test_the_command_line_lists_rules_without_loading_the_counting_code():
    code = "import sys, opensel_desktop.cli.choices as c; print(len(c.RULE_NAMES), 'numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == [str(len(FACTS)), "False"]
