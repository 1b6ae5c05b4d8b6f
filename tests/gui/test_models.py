"""Qt models tested without windows (STYLE.md habit 10): rowCount, data and roles, from real values."""

from __future__ import annotations

from PySide6.QtCore import Qt

from opensel_desktop.engine import Ballots, Election, count
from opensel_desktop.gui.models.diff import DiffModel, pair_up
from opensel_desktop.gui.models.journal import JournalFilter, JournalModel, JournalRow
from opensel_desktop.gui.models.papers import PaperListModel, PaperRow, summary
from opensel_desktop.gui.models.stage_table import ELECTED_ROLE, StageTableModel

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
        assert model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == stage.reason
    assert [model.headerData(r, Qt.Orientation.Vertical) for r in range(4)] == list(NAMES)
    assert [model.index(r, 0).data(ELECTED_ROLE) for r in range(4)] == [n in result.elected for n in NAMES]
    assert model.reasons() == [f"Stage {s.number}: {s.reason}" for s in result.stages]
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


def test_paper_list_summary_and_append():
    assert summary((2, 0, 1), 4) == "2 3 1 ·"
    model = PaperListModel(4)
    model.append(PaperRow(1, (2, 0, 1)))
    model.append(PaperRow(2, (), "unmarked"))
    assert model.rowCount() == 2
    assert model.index(0, 1).data() == "2 3 1 ·"
    assert model.index(1, 1).data() == "rejected: unmarked"
    assert model.index(0, 2).data() == "saved"
    model.replace_last(PaperRow(2, (3,), None, "mismatch"))
    assert model.index(1, 2).data() == "MISMATCH"
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None


def test_diff_pairs_papers_by_number():
    first = [PaperRow(1, (0, 1)), PaperRow(2, (1,)), PaperRow(3, (), "unmarked")]
    second = [PaperRow(1, (0, 1)), PaperRow(2, (2,)), PaperRow(3, (), "unmarked"), PaperRow(4, (0,))]
    model = DiffModel(4)
    model.set_rows(pair_up(first, second))
    assert model.rowCount() == 4
    assert [r.number for r in model.mismatches()] == [2, 4]
    assert model.index(3, 1).data() == "(not keyed)"
    assert model.index(0, 3).data() == "agree"
    assert model.index(1, 3).data().startswith("DIFFERENT")


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
