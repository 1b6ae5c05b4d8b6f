"""Reading the ranked ballot form: which preferences the boxes give, and what is wrong with them.

This is the form's own interpretation (box -> preference), a pure function tested without widgets.
A paper is read up to its first break (a missing or repeated preference): the preferences before
the break still count, as in Scottish STV 2007 r.45 / ERS97 5.2.1 practice; a paper with no
single first preference has nothing to count and must be rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

UNMARKED = "unmarked"
UNCERTAIN = "void for uncertainty"


def tr(text: str) -> str:
    return QCoreApplication.translate("PaperCheck", text)


@dataclass(frozen=True, slots=True)
class PaperCheck:
    ranking: tuple[int, ...]  # candidates in preference order, up to the first break
    problem: str = ""  # one sentence for the teller, "" when the paper is clean
    bad: frozenset[int] = frozenset()  # candidates whose boxes turn red
    suggest: str = ""  # rejection heading to offer when the paper cannot count at all

    @property
    def clean(self) -> bool:
        return not self.problem

    @property
    def countable(self) -> bool:
        return len(self.ranking) > 0


def check_paper(marks: dict[int, int], names: tuple[str, ...]) -> PaperCheck:
    """`marks` maps candidate index -> preference number written in its box."""
    if not marks:
        return PaperCheck((), tr("The paper is blank."), frozenset(), UNMARKED)
    by_pref: dict[int, list[int]] = {}
    for cand, pref in marks.items():
        by_pref.setdefault(pref, []).append(cand)
    ranking: list[int] = []
    pref = 1
    while pref in by_pref and len(by_pref[pref]) == 1:
        ranking.append(by_pref[pref][0])
        pref += 1
    if len(ranking) == len(marks):
        return PaperCheck(tuple(ranking))
    if pref in by_pref:  # repeated preference
        cands = by_pref[pref]
        who = tr(" and ").join(names[c] for c in sorted(cands))
        problem = tr("Preference {0} is given to both {1}.").format(pref, who)
        bad = frozenset(cands)
    else:  # gap
        later = sorted(p for p in by_pref if p > pref)
        problem = tr("There is no preference {0} but there is a {1}: preferences must run 1, 2, 3 without a gap.").format(
            pref, later[0])
        bad = frozenset(c for p in later for c in by_pref[p])
    if ranking:
        if len(ranking) == 1:
            problem += " " + tr("Only the first preference can count.")
        else:
            problem += " " + tr("Only preferences 1 to {0} can count.").format(len(ranking))
        return PaperCheck(tuple(ranking), problem, bad, "")
    return PaperCheck((), problem + " " + tr("This paper has no clear first preference."), bad, UNCERTAIN)
