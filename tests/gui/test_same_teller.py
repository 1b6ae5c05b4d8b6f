"""One teller never keys both entries of a batch, in the window as in the app: Ctrl+E with the first entry's
teller is refused before a key is pressed, whoever is at the keyboard and however the name is typed; and
should such a second entry be started anyway, the app refuses its first paper and nothing is journaled."""

from __future__ import annotations

from gui_keys import key_paper

from opensel_desktop.gui.main_window import MainWindow

PAPERS = [(0, 1), (1, 0), (2,)]


def entered(window: MainWindow) -> list[tuple[str, str]]:
    return [(e.actor, e.data["side"]) for e in window.meeting.session.events() if e.kind == "paper_entered"]


def test_the_first_entrys_teller_cannot_key_the_second(qtbot, tmp_path, settings, contest_file):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.new_from_contest(str(contest_file), str(tmp_path / "m.osel"), "Jane Smith")
    window._switch("Ann Teller", "teller")
    for ranking in PAPERS:
        key_paper(window, ranking)
    window._switch("Jane Smith", "returning officer")  # someone else at the keyboard in between
    window.second_entry("ann teller")
    m = window.meeting
    assert m.side == "first" and m.teller == "Jane Smith"
    assert window.status_text.text() == ("Ann Teller keyed the first entry of batch 1: the second entry must be keyed "
                                         "by another teller. Press Ctrl+E and give the second teller's name.")
    # the app's own rule: a second entry by Ann is refused at its first paper, in one sentence, and not saved
    window._switch("Ann Teller", "teller")
    m.side = "second"
    key_paper(window, PAPERS[0])
    message = window.entry.form.message.text()
    assert "keyed the first entry of batch 1" in message and "another teller" in message, message
    assert entered(window) == [("Ann Teller", "first")] * 3
    # Bob is another teller: his blind entry is taken, and the batch is credited to both
    m.side = "first"
    window.second_entry("Bob Teller")
    for ranking in PAPERS:
        key_paper(window, ranking)
    assert entered(window) == [("Ann Teller", "first")] * 3 + [("Bob Teller", "second")] * 3
    assert window.entry.batch_lines() == ["Batch 1: agreed · 3 papers · Ann Teller / Bob Teller"]
    window.close()
