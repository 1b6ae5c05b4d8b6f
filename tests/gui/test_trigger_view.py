"""The "Unit returns" tab of a trigger ballot with real widgets over a real .osel: returns entered
one by one, the running tally and threshold shown after each, a changed return refused without a reason and
kept with its history with one, and the tab wired into the main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from opensel_desktop.app import declaring, returns
from opensel_desktop.app.core import Session
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.main_window import MainWindow
from opensel_desktop.gui.views.trigger_view import TriggerView, UnitReturnsModel

CONTEST = """format: opensel-contest/1
kind: trigger
title: Trigger ballot, Anytown
returning_officer: Jane Smith
method: {rule: trigger}
trigger:
  rule_set: labour-2018
  classes:
    - name: Party branches
      units: [Central ward, Riverside ward, Hillside ward]
    - name: Affiliated branches
      units:
        - {name: GMB General, decision: no, reported_by: Branch secretary}
"""


def make_session(tmp_path: Path) -> Session:
    yaml = tmp_path / "trigger.yaml"
    yaml.write_text(CONTEST, encoding="utf-8")
    return Session.create(load_contest(yaml), tmp_path / "trigger.osel", "Jane Smith")


def enter(view: TriggerView, unit: str, decision: str, reported_by: str, reason: str = "") -> None:
    view.unit_box.setCurrentIndex(view.unit_box.findText(unit, Qt.MatchFlag.MatchStartsWith))
    view.decision_box.setCurrentIndex(view.decision_box.findData(decision))
    view.reported_by.setText(reported_by)
    view.reason.setText(reason)
    view.save_button.click()


def test_model_lists_units_with_their_latest_return(tmp_path):
    with make_session(tmp_path) as session:
        model = UnitReturnsModel()
        model.set_section(returns.trigger_plain(session.replay))
        assert model.rowCount() == 4 and model.columnCount() == 6
        assert model.rowCount(model.index(0, 0)) == 0
        cells = [[model.data(model.index(r, c)) for c in range(3)] for r in range(4)]
        assert cells[0] == ["Party branches", "Central ward", "No return yet"]
        assert cells[3] == ["Affiliated branches", "GMB General", "No"]
        assert model.data(QModelIndex()) is None


def test_returns_one_by_one_with_live_tally(qtbot, tmp_path):
    session = make_session(tmp_path)
    view = TriggerView(session)
    qtbot.addWidget(view)
    assert "Party branches: 0 yes, 0 no, 3 did not vote" in view.tally.text()
    assert view.threshold.text().startswith("Threshold not met")

    with qtbot.waitSignal(view.saved, timeout=5000):
        enter(view, "Central ward", "no", "Branch secretary")
    assert view.message.text() == "Return of Central ward saved: no."
    assert view.model.data(view.model.index(0, 2)) == "No"
    assert "Party branches needs 1 more yes return" in view.threshold.text()

    enter(view, "Riverside ward", "yes", "Branch chair")
    # 1 yes of 2 that voted meets one third: the threshold is crossed and shown at once
    assert "Party branches: 1 yes, 1 no, 1 did not vote" in view.tally.text()
    assert view.threshold.text() == "Threshold met under labour-2018: a full selection is triggered."
    assert view.triggered

    # a disputed return: refused without a reason, nothing journaled; the form keeps what was typed
    events = len(session.events())
    view.unit_box.setCurrentIndex(view.unit_box.findText("Riverside ward", Qt.MatchFlag.MatchStartsWith))
    assert view.reason.placeholderText().startswith("required")
    enter(view, "Riverside ward", "no", "Regional office")
    assert "already has a return (yes)" in view.message.text() and "Reason box" in view.message.text()
    assert not view.message.text().startswith(str(session.path))
    assert len(session.events()) == events and view.triggered

    enter(view, "Riverside ward", "no", "Regional office", "Disputed: cards counted twice")
    assert view.message.text().startswith("Return of Riverside ward saved: no (was yes")
    assert view.reason.text() == ""
    assert view.threshold.text().startswith("Threshold not met")
    row = [r[1] for r in view.model.rows].index("Riverside ward")
    assert view.model.data(view.model.index(row, 3)) == "2"
    history = view.model.data(view.model.index(row, 2), Qt.ItemDataRole.ToolTipRole)
    assert history.splitlines() == ["Yes (reported by Branch chair)",
                                    "No (reported by Regional office): Disputed: cards counted twice"]

    # a unit whose return came in the contest file is changed the same way: a reason first
    enter(view, "GMB General", "yes", "Branch secretary")
    assert "GMB General already has a return (no)" in view.message.text()
    assert len(session.events()) == events + 1

    # the count of the saved contest uses every return; after the declaration the form is locked
    result = declaring.count_meeting(session)
    assert result.decision["outcome"] == "not triggered"
    assert [c["unit"] for c in result.decision["changed_returns"]] == ["Riverside ward"]
    declaring.declare(session, "Jane Smith")
    view.refresh()
    assert not view.save_button.isEnabled() and "declared" in view.message.text()
    view.close()
    session.close()


def test_main_window_shows_the_unit_returns_tab(qtbot, tmp_path, settings):
    yaml = tmp_path / "trigger.yaml"
    yaml.write_text(CONTEST, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.new_from_contest(str(yaml), str(tmp_path / "trigger.osel"), "Jane Smith")
    tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert tabs[0] == "Unit returns" and window.entry is None and window.grid is None
    view = window.trigger_view
    assert view is not None
    enter(view, "Hillside ward", "yes", "Branch secretary")
    assert window.status_text.text() == "Return of Hillside ward saved: yes."
    assert view.threshold.text().startswith("Threshold met")
    window.close_meeting()
    assert window.trigger_view is None
    window.close()


def test_live_results_count_the_returns_entered_at_the_meeting(qtbot, tmp_path, settings):
    yaml = tmp_path / "trigger.yaml"
    yaml.write_text(CONTEST, encoding="utf-8")
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.new_from_contest(str(yaml), str(tmp_path / "trigger.osel"), "Jane Smith")
    enter(window.trigger_view, "Hillside ward", "yes", "Branch secretary")
    window.live_recount()  # no keyed papers in a trigger ballot: the journaled returns are what counts
    qtbot.waitUntil(lambda: window.result is not None, timeout=10000)
    assert window.result.decision["outcome"] == "triggered"
    window.close_meeting()
    window.close()
