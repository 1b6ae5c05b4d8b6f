"""Words a teller reads: counts with the right plural, papers in preference order by name, batch states,
and the engine's stage reasons without the rulebook's paragraph marks (those belong on the printed sheet)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from opensel_desktop.app.core import BatchStatus


def tr(text: str) -> str:
    return QCoreApplication.translate("wording", text)


def count_of(n: int, one: str, many: str) -> str:
    """"1 paper", "2 papers", "0 papers": the noun agrees with the number."""
    return (one if n == 1 else many).format(n)


def papers(n: int) -> str:
    return count_of(n, tr("{0} paper"), tr("{0} papers"))


def votes(n: int) -> str:
    return count_of(n, tr("{0} vote"), tr("{0} votes"))


def mismatched_papers(n: int) -> str:
    return count_of(n, tr("{0} mismatched paper"), tr("{0} mismatched papers"))


_PARAGRAPH = re.compile(r"\s*\[(?:[A-Za-z]{1,2}\.?\d*(?:\.\d+)*(?:\(\d+\))?(?:,\s*)?)+\]")


def teller_text(text: str) -> str:
    """An engine sentence without its paragraph references ("[r.46]", "[B.1]", "[r.48, r.49]")."""
    return _PARAGRAPH.sub("", text)


def ranking_text(ranking: Sequence[int], names: Sequence[str]) -> str:
    """A paper as preferences in order: "1 Łukasz Nowak · 2 Siân Evans"."""
    return " · ".join(f"{pref} {names[c] if 0 <= c < len(names) else '?'}" for pref, c in
                      enumerate(ranking, start=1)) or tr("no preferences")


def batch_line(b: BatchStatus) -> str:
    """One line of the batch list: its state, its papers and who keyed it."""
    if b.state == "single":
        state = tr("single entry, decided by {0}").format(b.single_by) if b.single_by else tr("single entry")
    elif b.mismatches:
        state = mismatched_papers(b.mismatches)
    else:
        state = {"agreed": tr("agreed"), "awaiting second entry": tr("awaiting second entry")}.get(b.state, b.state)
    who = " / ".join(b.tellers)
    line = tr("Batch {0}: {1} · {2}").format(b.label, state, papers(b.papers))
    return line + (f" · {who}" if who else "")
