"""Qt models tested without windows: rowCount, data and roles, from real values."""

from __future__ import annotations

from PySide6.QtCore import Qt

from opensel_desktop.engine import Ballots, Election, count
from opensel_desktop.gui.models.diff import DIFFERS_ROLE, RICH_ROLE, DiffModel, DiffRow, pair_up
from opensel_desktop.gui.models.journal import JournalFilter, JournalModel, JournalRow
from opensel_desktop.gui.models.papers import PaperListModel, PaperRow
from opensel_desktop.gui.models.stage_table import ELECTED_ROLE, StageTableModel
from opensel_desktop.gui.wording import count_of, mismatched_papers, papers, ranking_text, teller_text

NAMES = ("Ann", "Bob", "Cai", "Dee")


def a_result():
    ballots = Ballots.from_rankings([((0, 1), 30), ((1, 2), 12), ((2, 0), 9), ((3, 2), 6), ((0, 3), 5)])
    return count("scottish", Election(names=NAMES, seats=2, ballots=ballots))


def test_stage_table_reads_every_stage_of_the_result():
    result = a_result()
    model = StageTableModel(result)
    assert model.rowCount() == len(NAMES) + 2
    assert model.columnCount() == len(result.stages)
    for col, stage in enumerate(result.stages):
        for row, name in enumerate(NAMES):
            text = model.index(row, col).data()
            assert text.startswith(result.fmt(stage.votes[name]))
        assert model.index(len(NAMES), col).data() == result.fmt(stage.non_transferable)
        assert model.index(len(NAMES) + 1, col).data() == result.fmt(stage.quota)
        assert model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == \
            teller_text(stage.reason)
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)] == list(NAMES)
    assert [model.index(r, 0).data(ELECTED_ROLE) for r in range(4)] == [n in result.elected for n in NAMES]
    assert model.reasons() == [f"Stage {s.number}: {teller_text(s.reason)}" for s in result.stages]
    assert "[r." in result.stages[0].reason and not any("[r." in r for r in model.reasons())
    # an elected mark appears in the column of the stage that elected
    first_elected = next(s for s in result.stages if s.elected)
    row = NAMES.index(first_elected.elected[0])
    assert model.index(row, first_elected.number - 1).data().endswith("elected")


def test_stage_table_tooltip_shows_the_change():
    result = a_result()
    model = StageTableModel(result)
    if len(result.stages) > 1:
        for row, name in enumerate(NAMES):
            diff = result.stages[1].votes[name] - result.stages[0].votes[name]
            tip = model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
            assert tip.endswith(("+" if diff >= 0 else "") + result.fmt(diff))


def test_empty_stage_table():
    model = StageTableModel(None)
    assert model.rowCount() == 0 and model.columnCount() == 0


def test_paper_list_names_the_preferences_in_order():
    assert ranking_text((2, 0, 1), NAMES) == "1 Cai · 2 Ann · 3 Bob"
    model = PaperListModel(NAMES)
    model.append(PaperRow(1, (2, 0, 1)))
    model.append(PaperRow(2, (), "unmarked"))
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "1 Cai · 2 Ann · 3 Bob"
    assert model.index(1, 1).data() == "rejected: unmarked"
    assert model.index(0, 2).data() == "saved"
    model.replace_last(PaperRow(2, (3,), None, "mismatch"))
    assert model.index(1, 2).data() == "MISMATCH"
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_diff_pairs_papers_by_number():
    first = [PaperRow(1, (0, 1)), PaperRow(2, (1,)), PaperRow(3, (), "unmarked")]
    second = [PaperRow(1, (0, 1)), PaperRow(2, (2,)), PaperRow(3, (), "unmarked"), PaperRow(4, (0,))]
    model = DiffModel(NAMES)
    model.set_rows(pair_up(first, second))
    assert model.rowCount() == 4
    assert [r.number for r in model.mismatches()] == [2, 4]
    assert model.index(3, 1).data() == "(not keyed)"
    assert model.index(0, 3).data() == "agree"
    assert model.index(1, 3).data() == "preference 1 differs: 1 or 2"
    assert model.index(3, 3).data() == "only one entry has this paper: 1 or 2"


def test_diff_names_the_candidates_and_marks_the_differing_preference():
    # first entry: Ann 1, Bob 2, Cai 3; second: Ann 1, Cai 2, Bob 3 -> preferences 2 and 3 differ
    row = DiffRow(7, PaperRow(7, (0, 1, 2)), PaperRow(7, (0, 2, 1)))
    model = DiffModel(NAMES)
    model.set_rows([row])
    assert model.index(0, 1).data() == "1 Ann · 2 Bob · 3 Cai"
    assert model.index(0, 2).data() == "1 Ann · 2 Cai · 3 Bob"
    assert model.index(0, 1).data(DIFFERS_ROLE) == {1, 2}
    rich = model.index(0, 2).data(RICH_ROLE)
    assert rich.startswith("1 Ann · ") and "<b>2 Cai</b>" in rich and "<b>3 Bob</b>" in rich and "<b>1 Ann" not in rich
    assert model.index(0, 3).data() == "preferences 2, 3 differ: 1 or 2"
    assert "·" not in model.index(0, 3).data()  # words, not a dot pattern to count
    # a shorter second entry: the missing preference is marked too
    short = DiffModel(NAMES)
    short.set_rows([DiffRow(8, PaperRow(8, (3, 0)), PaperRow(8, (3,)))])
    assert short.index(0, 1).data(DIFFERS_ROLE) == {1}
    assert "(no more)" in short.index(0, 2).data(RICH_ROLE)
    # one teller rejected it: the whole rejected cell is marked
    rej = DiffModel(NAMES)
    rej.set_rows([DiffRow(9, PaperRow(9, (1,)), PaperRow(9, (), "unmarked"))])
    assert rej.index(0, 3).data() == "one entry rejects it: 1 or 2"
    assert "<b>rejected: unmarked</b>" in rej.index(0, 2).data(RICH_ROLE)


def test_plurals_and_paragraph_marks():
    assert papers(1) == "1 paper" and papers(0) == "0 papers" and papers(2) == "2 papers"
    assert mismatched_papers(1) == "1 mismatched paper" and mismatched_papers(3) == "3 mismatched papers"
    assert count_of(1, "{0} bundle", "{0} bundles") == "1 bundle"
    assert teller_text("the quota is 34 (100 valid papers / (2 places + 1), fractions ignored, + 1) [r.46]") == \
        "the quota is 34 (100 valid papers / (2 places + 1), fractions ignored, + 1)"
    assert teller_text("Ann is elected [r.48, r.49]. Next.") == "Ann is elected. Next."
    assert teller_text("Bob is excluded [B.4]; Cai [C]") == "Bob is excluded; Cai"
    assert teller_text("papers [in bundle 2] stay") == "papers [in bundle 2] stay"


def test_journal_filters_by_teller_and_event():
    rows = [
        JournalRow(1, "t", "Jane", "contest_created", "contest created"),
        JournalRow(2, "t", "Ann", "paper_entered", "paper 1"),
        JournalRow(3, "t", "Bob", "paper_entered", "paper 1 (second entry)"),
        JournalRow(4, "t", "Ann", "paper_corrected", "paper 1", corrects=2),
        JournalRow(5, "t", "Bob", "paper_entered", "paper 2", verified=False),
    ]
    model = JournalModel()
    model.set_rows(rows)
    proxy = JournalFilter()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == 5
    assert model.tellers() == ["Ann", "Bob", "Jane"]
    proxy.set_filters(teller="Ann")
    assert proxy.rowCount() == 2
    proxy.set_filters(kind="paper_entered")
    assert proxy.rowCount() == 3
    proxy.set_filters(teller="Bob", kind="paper_entered")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["3", "5"]
    assert model.index(3, 5).data() == "paper 1 (corrects #2)"
    assert model.index(4, 6).data() == "BROKEN"
    assert model.index(1, 3).data() == "paper entered"
