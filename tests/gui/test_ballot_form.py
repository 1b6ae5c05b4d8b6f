"""The ranked ballot form driven by real key events, as a teller would key it."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from opensel_desktop.contest.model import DEFAULT_HEADINGS
from opensel_desktop.gui.views.ballot_form import BallotFormView, default_hotkeys
from opensel_desktop.gui.views.paper_check import check_paper

NAMES = ("Łukasz Nowak", "Siân Evans", "Dafydd ap Gwŵr", "Ann Smith")


@pytest.fixture
def form(qtbot):
    w = BallotFormView(NAMES, DEFAULT_HEADINGS)
    qtbot.addWidget(w)
    w.show()
    w.clear()
    return w


def keys(widget, text):
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget.focusWidget() or widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def press(form, key):
    QTest.keyClick(form.focusWidget(), key)


def test_check_paper_reads_up_to_the_first_break():
    assert check_paper({0: 2, 1: 1}, NAMES).ranking == (1, 0)
    dup = check_paper({0: 1, 1: 2, 2: 2}, NAMES)
    assert dup.ranking == (0,) and dup.bad == {1, 2} and "both" in dup.problem
    gap = check_paper({0: 1, 1: 3}, NAMES)
    assert gap.ranking == (0,) and gap.bad == {1} and "no preference 2" in gap.problem
    none = check_paper({0: 2}, NAMES)
    assert none.ranking == () and none.suggest == "void for uncertainty"


def test_digits_move_down_and_enter_commits(qtbot, form):
    keys(form, "213")  # Łukasz 2, Siân 1, Dafydd 3
    assert [b.text() for b in form.boxes] == ["2", "1", "3", ""]
    assert form.focusWidget() is form.boxes[3]
    with qtbot.waitSignal(form.paper_entered) as blocker:
        press(form, Qt.Key.Key_Return)
    assert blocker.args[0].ranking == (1, 0, 2)
    assert blocker.args[0].rejected is None


def test_up_down_and_backspace(qtbot, form):
    keys(form, "1")
    press(form, Qt.Key.Key_Down)
    keys(form, "3")
    assert form.marks == {0: 1, 2: 3}
    assert "no preference 2" in form.message.text()
    assert "#c00000" in form.boxes[2].styleSheet()
    press(form, Qt.Key.Key_Up)  # back to box 3 (focus had moved on to box 4)
    press(form, Qt.Key.Key_Backspace)
    assert form.marks == {0: 1}
    assert form.message.text() == "" and form.boxes[2].styleSheet() == ""


def test_duplicate_is_red_at_once_and_enter_goes_back_to_the_paper(qtbot, form):
    keys(form, "122")
    assert form.check.bad == {1, 2}
    assert "Preference 2 is given to both" in form.message.text()
    assert "#c00000" in form.boxes[1].styleSheet() and form.boxes[0].styleSheet() == ""
    saved = []
    form.paper_entered.connect(saved.append)
    press(form, Qt.Key.Key_Return)
    assert form.reject_open() and "cannot be saved as it stands" in form.reject_prompt.text()
    press(form, Qt.Key.Key_Return)  # a second Enter: back to the paper, on the first red box
    assert not form.reject_open() and saved == [] and form.focusWidget() is form.boxes[1]
    assert form.marks == {0: 1, 1: 2, 2: 2}  # nothing lost
    press(form, Qt.Key.Key_Return)
    keys(form, "0")  # counting the preferences before the break is a choice, by its number
    assert "Count only the preferences before the break" in form.reject_prompt.text()
    assert "1 Łukasz Nowak" in form.reject_list.currentItem().text()
    with qtbot.waitSignal(form.paper_entered) as blocker:
        press(form, Qt.Key.Key_Return)
    assert blocker.args[0].ranking == (0,)


def test_enter_never_rejects_a_paper_by_itself(qtbot, form):
    """Enter, Enter, Enter... on a broken paper and on a blank one: nothing is ever saved or rejected."""
    saved = []
    form.paper_entered.connect(saved.append)
    keys(form, "2")  # no first preference: "void for uncertainty" is what it would be rejected as
    for _ in range(5):
        press(form, Qt.Key.Key_Return)
    assert saved == [] and form.marks == {0: 2}
    form.clear()
    for _ in range(6):
        press(form, Qt.Key.Key_Return)  # a blank paper, e.g. a double Enter after saving one
    assert saved == [] and not form.reject_open()
    keys(form, "r")  # R is the decision to reject: its suggestion is ready, Enter confirms
    assert "unmarked" in form.reject_prompt.text()
    with qtbot.waitSignal(form.paper_entered) as blocker:
        press(form, Qt.Key.Key_Return)
    assert blocker.args[0].rejected == "unmarked"


def test_r_rejects_with_a_heading_picked_by_number(qtbot, form):
    keys(form, "r")
    assert form.reject_open()
    keys(form, "4")
    assert "unmarked" in form.reject_prompt.text()
    keys(form, "3")
    with qtbot.waitSignal(form.paper_entered) as blocker:
        press(form, Qt.Key.Key_Return)
    assert blocker.args[0] == type(blocker.args[0])((), DEFAULT_HEADINGS[2])


def test_escape_goes_back_to_the_paper(qtbot, form):
    keys(form, "2")
    press(form, Qt.Key.Key_Return)  # no first preference: must be rejected, or fixed
    assert form.reject_open() and "no clear first preference" in form.message.text()
    keys(form, "5")
    assert "void for uncertainty" in form.reject_prompt.text()
    press(form, Qt.Key.Key_Escape)
    assert not form.reject_open() and form.marks == {0: 2}


def test_hotkey_mode_keys_candidates_in_preference_order(qtbot, form):
    press(form, Qt.Key.Key_F3)
    assert form.hotkey_mode
    keys(form, "cad")
    assert form.marks == {2: 1, 0: 2, 3: 3}
    press(form, Qt.Key.Key_Backspace)
    assert form.marks == {2: 1, 0: 2}
    with qtbot.waitSignal(form.paper_entered) as blocker:
        press(form, Qt.Key.Key_Return)
    assert blocker.args[0].ranking == (2, 0)


def test_ten_candidates_start_in_hotkey_mode(qtbot):
    names = tuple(f"Candidate {i}" for i in range(1, 15))
    w = BallotFormView(names, DEFAULT_HEADINGS)
    qtbot.addWidget(w)
    w.show()
    w.clear()
    assert w.hotkey_mode and "Hot-key mode" in w.mode_label.text()
    keys(w, "bac")  # 1 2 3 as letters: nothing waits for a second key
    assert w.marks == {1: 1, 0: 2, 2: 3}
    with qtbot.waitSignal(w.paper_entered) as blocker:
        press(w, Qt.Key.Key_Return)
    assert blocker.args[0].ranking == (1, 0, 2)
    small = BallotFormView(NAMES, DEFAULT_HEADINGS)
    qtbot.addWidget(small)
    assert not small.hotkey_mode


def test_two_digit_preferences_show_that_they_wait(qtbot):
    names = tuple(f"Candidate {i}" for i in range(1, 13))
    w = BallotFormView(names, DEFAULT_HEADINGS)
    qtbot.addWidget(w)
    w.show()
    w.clear()
    press(w, Qt.Key.Key_F3)  # digit mode
    assert not w.hotkey_mode
    keys(w, "1")
    assert w.boxes[0].text() == "1_" and w.focusWidget() is w.boxes[0]  # visibly waiting for a second digit
    keys(w, "2")
    assert w.boxes[0].text() == "12" and w.focusWidget() is w.boxes[1]
    keys(w, "1")
    press(w, Qt.Key.Key_Down)  # Down: the 1 stands alone
    assert w.boxes[1].text() == "1" and w.marks[1] == 1
    keys(w, "3")  # 3 cannot grow: straight on
    assert w.boxes[2].text() == "3" and w.focusWidget() is w.boxes[3]
    keys(w, "1")
    keys(w, "5")  # 15 > 12 candidates: the 1 stands, the 5 goes to the next box
    assert [b.text() for b in w.boxes[3:5]] == ["1", "5"]
    ten = BallotFormView(names[:10], DEFAULT_HEADINGS)
    qtbot.addWidget(ten)
    ten.show()
    ten.set_hotkey_mode(False)
    ten.clear()
    keys(ten, "10")
    keys(ten, "123456789")  # 1 (waits) then 2: 12 is more than 10 candidates, so 1 stays, 2 goes on ... 9
    assert [b.text() for b in ten.boxes] == ["10", "1", "2", "3", "4", "5", "6", "7", "8", "9"]
    w.clear()
    keys(w, "1")
    press(w, Qt.Key.Key_Return)  # Enter ends the wait: the paper is 1 alone
    assert w.boxes[0].text() == "1"


def test_hotkeys_skip_r():
    assert default_hotkeys(tuple("x" * 18))[16:18] == ("Q", "S")
