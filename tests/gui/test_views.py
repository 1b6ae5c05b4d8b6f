"""Workers, the results view, grid entry and dialogs with real widgets."""

from __future__ import annotations

import threading

from gui_keys import press, type_text
from PySide6.QtCore import Qt

from opensel_desktop.engine import Ballots, Election, count
from opensel_desktop.gui.dialogs.lot_dialog import LotDialog
from opensel_desktop.gui.meeting import CountSnapshot, run_count
from opensel_desktop.gui.views.grid_entry import GridEntryView
from opensel_desktop.gui.views.results_view import ResultsView
from opensel_desktop.gui.workers import CountWorker

NAMES = ("Ann", "Bob", "Cai", "Dee")


def snapshot(extra: int = 0) -> CountSnapshot:
    ballots = Ballots.from_rankings([((0, 1), 30 + extra), ((1, 2), 12), ((2, 0), 9), ((3, 2), 6)])
    return CountSnapshot("scottish", Election(names=NAMES, seats=2, ballots=ballots), ())


def test_worker_counts_off_the_gui_thread(qtbot):
    worker = CountWorker()
    seen = []

    def job(snap):
        seen.append(threading.current_thread() is threading.main_thread())
        return run_count(snap)

    with qtbot.waitSignal(worker.result_ready, timeout=10000) as blocker:
        worker.submit(job, snapshot())
    result, seconds = blocker.args
    assert seen == [False] and seconds >= 0
    expected = count("scottish", snapshot().election)
    assert result.elected == expected.elected


def test_worker_drops_stale_results(qtbot):
    gate = threading.Event()
    worker = CountWorker()
    got = []
    worker.result_ready.connect(lambda r, s: got.append(r))

    def slow(snap):
        gate.wait(5)
        return "old"

    worker.submit(slow, None)
    with qtbot.waitSignal(worker.result_ready, timeout=10000):
        worker.submit(lambda snap: "new", None)
    gate.set()
    worker.wait()
    qtbot.wait(50)
    assert got == ["new"]


def test_cancel_drops_the_answer(qtbot):
    gate = threading.Event()
    worker = CountWorker()
    got = []
    worker.result_ready.connect(lambda r, s: got.append(r))
    worker.submit(lambda snap: gate.wait(5) and "late", None)
    with qtbot.waitSignal(worker.cancelled):
        worker.cancel()
    gate.set()
    worker.wait()
    qtbot.wait(50)
    assert got == [] and not worker.busy()


def test_failure_comes_back_as_a_value(qtbot):
    worker = CountWorker()

    def boom(snap):
        raise ValueError("no papers")

    with qtbot.waitSignal(worker.failed, timeout=10000) as blocker:
        worker.submit(boom, None)
    assert str(blocker.args[0]) == "no papers"


def test_results_view_provisional_until_declared(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    result = run_count(snapshot())
    view.show_result(result)
    assert view.banner.text().startswith("PROVISIONAL")
    assert view.chart.watermark == "PROVISIONAL"
    assert [n for n, _ in view.chart.bars] == list(NAMES)
    assert view.reasons.count() >= len(result.stages)
    assert ", ".join(result.elected) in view.elected.text()
    view.set_declared(True)
    assert view.banner.text() == "DECLARED RESULT" and view.chart.watermark == ""
    assert not view.grab().isNull()


def test_grid_totals_and_bundle_check(qtbot):
    grid = GridEntryView(NAMES, bundles=2)
    qtbot.addWidget(grid)
    grid.show()
    for row, value in ((0, 25), (1, 10), (2, 8), (3, 4), (4, 3)):
        grid.set_value(row, 0, value)
    assert grid.table.item(5, 0).text() == "25"
    assert grid.table.item(1, 2).text() == "10"
    assert grid.message.text() == "Every bundle adds up."
    checks = []
    grid.bundle_checked.connect(lambda c, ok: checks.append((c, ok)))
    grid.set_value(0, 1, 25)
    grid.set_value(1, 1, 30)
    assert checks[-2:] == [(0, True), (1, False)]
    assert "Bundle 2: 30 votes for 25 papers" in grid.message.text()
    grid.table.item(2, 1).setText("x")
    assert "whole numbers" in grid.message.text()


def test_lot_dialog_needs_a_witness(qtbot):
    dialog = LotDialog(("Ann", "Bob"), 3, "equal at every stage", "exclude")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.chosen.setCurrentIndex(1)
    dialog.chosen.setFocus()
    press(dialog, Qt.Key.Key_Return)
    assert dialog.isVisible() and "witness" in dialog.message.text()
    dialog.witnesses.setFocus()
    type_text(dialog, "Siân Evans, Dafydd ap Gwŵr")
    with qtbot.waitSignal(dialog.accepted):
        press(dialog, Qt.Key.Key_Return)
    d = dialog.decision()
    assert (d.how, d.chosen, d.witnesses) == ("physical", "Bob", ("Siân Evans", "Dafydd ap Gwŵr"))
