"""A write redraws what it touched: each use case returns a Changes record, the window publishes it on the
bridge, and only the views showing those areas of the meeting are refreshed. Keying a paper starts a live
recount; recording the ballot paper account redraws the account and the light but counts nothing."""

from __future__ import annotations

from gui_keys import key_paper

from opensel_desktop.app.core import Session
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.gui.main_window import MainWindow
from opensel_desktop.gui.views.account_panel import RED


def open_window(qtbot, settings, contest_file, tmp_path) -> MainWindow:
    path = tmp_path / "delegates.osel"
    with Session.create(load_contest(contest_file), path, "Jane Smith"):
        pass
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.open_file(str(path), teller="Ann Teller")
    assert window.meeting is not None, window.status_text.text()
    qtbot.waitUntil(lambda: not window._live_timer.isActive())
    return window


def test_a_keyed_paper_is_recounted_and_an_account_figure_is_not(qtbot, settings, contest_file, tmp_path):
    window = open_window(qtbot, settings, contest_file, tmp_path)
    published = []
    window.bridge.changed.connect(published.append)

    key_paper(window, (0, 1))
    assert [c.paper for c in published] == [1] and "papers" in published[0].areas
    assert window._live_timer.isActive(), "a new paper changes the figures: the live count must run"
    qtbot.waitUntil(lambda: not window._live_timer.isActive())

    # 100 papers expected back, and none counted yet (the batch awaits its second entry): the light is red
    window.account.record_requested.emit("in-room", 110, 4, 6, 100, "")
    assert len(published) == 2 and published[1].areas == {"account"}
    assert not window._live_timer.isActive(), "an account figure changes no vote: nothing to recount"
    assert window.light.state == RED

    window.account.record_requested.emit("in-room", 5, 2, 2, 1, "issued figure recounted")
    assert len(published) == 3 and not window._live_timer.isActive(), window.status_text.text()
    assert window.account.table.item(0, 1).text() == "5", "the account view shows the figures just recorded"
