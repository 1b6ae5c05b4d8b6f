"""Background ops, the results view, grid entry and dialogs with real widgets."""

from __future__ import annotations

import threading

from gui_keys import press, type_text
from PySide6.QtCore import Qt

from opensel_desktop.engine import Ballots, Election, count
from opensel_desktop.gui.dialogs.lot_dialog import LotDialog
from opensel_desktop.gui.meeting import CountSnapshot, run_count
from opensel_desktop.gui.ops import BackgroundOps
from opensel_desktop.gui.views.grid_entry import BundleEntry, GridEntryView, columns_for
from opensel_desktop.gui.views.results_view import ResultsView

NAMES = ("Ann", "Bob", "Cai", "Dee")


def snapshot(extra: int = 0) -> CountSnapshot:
    ballots = Ballots.from_rankings([((0, 1), 30 + extra), ((1, 2), 12), ((2, 0), 9), ((3, 2), 6)])
    return CountSnapshot("scottish", Election(names=NAMES, seats=2, ballots=ballots), ())


def test_an_op_counts_off_the_gui_thread_and_answers_on_it(qtbot):
    ops = BackgroundOps()
    seen, answers, busy = [], [], []
    ops.busy_changed.connect(busy.append)

    def job(snap):
        seen.append(threading.current_thread() is threading.main_thread())
        return run_count(snap)

    ops.run("count", job, snapshot(), success=lambda r: answers.append(
        (r, threading.current_thread() is threading.main_thread())), label="Counting…")
    assert ops.busy("count") and busy[-1] == "Counting…"
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)
    result, on_gui_thread = answers[0]
    assert seen == [False] and on_gui_thread
    assert result.elected == count("scottish", snapshot().election).elected
    assert not ops.busy() and busy[-1] == ""


def test_the_latest_op_of_a_key_wins(qtbot):
    gate = threading.Event()
    ops = BackgroundOps()
    got = []

    def slow(_):
        gate.wait(5)
        return "old"

    ops.run("count", slow, None, success=got.append)
    ops.run("count", lambda _: "new", None, success=got.append)
    qtbot.waitUntil(lambda: got == ["new"], timeout=10000)
    gate.set()
    ops.wait()
    qtbot.wait(50)
    assert got == ["new"]
    # another key is not dropped by this one
    ops.run("a", lambda _: 1, None, success=got.append)
    ops.run("b", lambda _: 2, None, success=got.append)
    qtbot.waitUntil(lambda: len(got) == 3, timeout=10000)
    assert sorted(got[1:]) == [1, 2]


def test_cancel_drops_the_answer(qtbot):
    gate = threading.Event()
    ops = BackgroundOps()
    got, done = [], []
    ops.done.connect(done.append)
    ops.run("count", lambda _: gate.wait(5) and "late", None, success=got.append)
    ops.cancel("count")
    assert done == ["count"] and not ops.busy()
    gate.set()
    ops.wait()
    qtbot.wait(50)
    assert got == []


def test_a_failure_comes_back_as_a_value_on_the_gui_thread(qtbot):
    ops = BackgroundOps()
    failed, unhandled = [], []
    ops.failed_unhandled.connect(unhandled.append)

    def boom(_):
        raise ValueError("no papers")

    ops.run("count", boom, None, success=lambda _: None, failure=lambda exc: failed.append(
        (exc, threading.current_thread() is threading.main_thread())))
    qtbot.waitUntil(lambda: bool(failed), timeout=10000)
    exc, on_gui_thread = failed[0]
    assert str(exc) == "no papers" and on_gui_thread and "Traceback" in exc.gui_traceback
    ops.run("other", boom, None, success=lambda _: None)  # no failure callback: the window's error path
    qtbot.waitUntil(lambda: bool(unhandled), timeout=10000)
    assert isinstance(unhandled[0], ValueError)


def test_the_window_stays_responsive_while_an_op_runs(qtbot):
    """The GUI thread keeps handling events (a timer fires) while the op works for half a second."""
    ops = BackgroundOps()
    ticks, got = [], []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    gate = threading.Event()
    ops.run("sheets", lambda _: gate.wait(0.5) or "signed", None, success=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    timer.stop()
    assert got == ["signed"] and len(ticks) >= 10


def test_results_view_provisional_until_declared(qtbot):
    view = ResultsView()
    qtbot.addWidget(view)
    result = run_count(snapshot())
    view.show_result(result)
    assert view.banner.text().startswith("PROVISIONAL")
    assert view.chart.watermark == "PROVISIONAL"
    assert [n for n, _ in view.chart.bars] == list(NAMES)
    # the bars end where the count ended (an elected candidate's bar at the quota), and say so
    assert view.chart.bars == [(n, result.stages[-1].votes.get(n, 0)) for n in result.names]
    assert len(result.stages) >= 2 and view.chart.caption == f"Votes at the last stage (stage {len(result.stages)})"
    assert result.quota and all(v >= result.quota for n, v in view.chart.bars if n in result.elected)
    assert view.reasons.count() >= len(result.stages)
    assert ", ".join(result.elected) in view.elected.text()
    view.set_declared(True)
    assert view.banner.text() == "DECLARED RESULT" and view.chart.watermark == ""
    assert not view.grab().isNull()


def test_grid_totals_and_bundle_check(qtbot):
    grid = GridEntryView(NAMES)
    qtbot.addWidget(grid)
    grid.show()
    assert grid.table.columnCount() == 2  # one new bundle, then the totals
    grid.set_columns(columns_for([BundleEntry("bundle 1", ((10, 8, 4, 3), 25), None)], "first"))
    assert grid.table.columnCount() == 3 and grid.columns[0].state == "saved" and grid.columns[1].state == "new"
    assert not grid.table.item(1, 0).flags() & Qt.ItemFlag.ItemIsEditable  # a saved bundle is locked
    assert grid.table.item(5, 0).text() == "25"
    assert grid.table.item(1, 2).text() == "10"
    assert grid.message.text() == "Every bundle adds up."
    checks = []
    grid.bundle_checked.connect(lambda c, ok: checks.append((c, ok)))
    grid.set_value(0, 1, 25)
    grid.set_value(1, 1, 20)
    assert checks[-2:] == [(0, True), (1, False)]
    assert "Bundle 2: 20 votes for 25 papers" in grid.message.text()
    grid.set_value(2, 1, 30)  # more votes than the bundle has papers: caught as typed
    assert "Bundle 2: Bob has 30 votes but the bundle has only 25 papers." in grid.message.text()
    assert grid.table.item(2, 1).background().color().red() > 200
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
