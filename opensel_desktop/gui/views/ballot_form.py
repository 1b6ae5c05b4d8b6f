"""The ranked ballot paper as a form: keyboard only, one paper at a time, candidates in ballot order.

Keys: digits type the preference in the focused candidate's box and move down; Up/Down move;
Backspace clears; Enter saves a clean paper (a blank or broken one opens the picker, on "back to the
paper"); R rejects with a heading; F3 switches to hot-key mode, where a candidate's letter gives them
the next preference. From ten candidates hot-key mode is the default, and in digit mode a first digit
that may still become 10-19 shows as "1_" until the next key decides. The form never saves anything:
it emits `paper_entered` and the window asks the app.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QPolygon
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme
from opensel_desktop.gui.views.paper_check import PaperCheck, check_paper
from opensel_desktop.gui.views.reject_picker import RejectPicker

RED_BOX = "QLineEdit { background: #ffd6d6; color: #000; border: 2px solid #c00000; }"


@dataclass(frozen=True, slots=True)
class PaperEntry:
    """What the teller keyed for one paper: a ranking, or a rejection under a heading."""

    ranking: tuple[int, ...]
    rejected: str | None = None


FOCUS_BOX = "QLineEdit:focus { border: 3px solid #1e6fd9; }"


class TextLine(QWidget):
    """Text drawn by the widget itself at a fixed height. QLabel.setText asks the whole window to lay
    itself out again (about 5 ms here); this only repaints its own rectangle, so keystrokes stay quick."""

    def __init__(self, font: QFont, lines: int = 1, colour: QColor | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._text = ""
        self.colour = colour
        self.setFont(font)
        self.setFixedHeight(QFontMetrics(font).lineSpacing() * lines + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 - the QLabel name, so callers read the same
        if text != self._text:
            self._text = text
            self.setAccessibleDescription(text)
            self.update()

    def paintEvent(self, _event) -> None:
        if not self._text:
            return
        p = QPainter(self)
        p.setPen(self.colour if self.colour is not None else self.palette().color(QPalette.ColorRole.WindowText))
        p.drawText(self.rect().adjusted(0, 2, 0, 0),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap), self._text)
        p.end()


class RowMarker(QWidget):
    """A fixed-size arrow drawn by itself: switching it on or off repaints 20 pixels, never the form."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.on = False
        self.setFixedSize(20, 20)

    def set_on(self, on: bool) -> None:
        if on != self.on:
            self.on = on
            self.update()

    def paintEvent(self, _event) -> None:
        if not self.on:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setBrush(QColor(30, 111, 217))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(QPolygon([QPoint(3, 3), QPoint(17, 10), QPoint(3, 17)]))
        p.end()


def default_hotkeys(names: tuple[str, ...], given: tuple[str | None, ...] = ()) -> tuple[str, ...]:
    """Hot-keys from the contest file, otherwise A, B, C... in ballot order (R is kept for Reject)."""
    letters = [c for c in "ABCDEFGHIJKLMNOPQSTUVWXYZ"]
    out: list[str] = []
    taken = {g.upper() for g in given if g}
    free = [c for c in letters if c not in taken]
    for i in range(len(names)):
        g = given[i] if i < len(given) else None
        out.append(g.upper() if g else (free.pop(0) if free else "?"))
    return tuple(out)


HOTKEYS_FROM = 10  # from ten candidates, "1" could be the start of "10": letters are the default


class BallotFormView(QWidget):
    paper_entered = Signal(object)  # PaperEntry
    marks_changed = Signal()

    def __init__(self, names: tuple[str, ...], headings: tuple[str, ...], hotkeys: tuple[str, ...] = (),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.names = names
        self.headings = headings
        self.hotkeys = hotkeys or default_hotkeys(names)
        self.hotkey_mode = len(names) >= HOTKEYS_FROM
        self.marks: dict[int, int] = {}
        self.locked = False
        # Which box holds a first digit that may still grow (1 -> 10); the box shows "1_" meanwhile.
        # Kept in Python: QObject.property() of an unset name leaks a reference to None in PySide6 6.12.
        self._open: int | None = None
        self._marked: int | None = None
        self._keep: tuple[int, ...] = ()
        self._check: PaperCheck = check_paper({}, names)
        self._mode_text = ""
        self.setAccessibleName(self.tr("Ballot paper form"))

        big = QFont()
        big.setPointSize(14)
        heading_font = QFont(big)
        heading_font.setPointSize(18)
        heading_font.setBold(True)
        self.heading = TextLine(heading_font)
        self.heading.setAccessibleName(self.tr("Paper number"))
        self.mode_label = TextLine(QFont())
        self.mode_label.setAccessibleName(self.tr("Entry mode"))

        paper = QFrame()
        paper.setFrameShape(QFrame.Shape.Box)
        paper.setMaximumWidth(560)  # keep each box close to its name, as on the paper itself
        self.paper = paper  # its focus border marks the box a digit goes into (none in hot-key mode)
        paper.setAccessibleName(self.tr("Ballot paper"))
        grid = QGridLayout(paper)
        grid.setColumnStretch(2, 1)
        self.boxes: list[QLineEdit] = []
        self.name_labels: list[QLabel] = []
        self.key_labels: list[QLabel] = []
        self.arrows: list[RowMarker] = []
        for i, name in enumerate(names):
            arrow = RowMarker()
            arrow.setAccessibleName(self.tr("Current row"))
            self.arrows.append(arrow)
            key = QLabel(f"[{self.hotkeys[i]}]")
            key.setToolTip(self.tr("Hot-key for {0}").format(name))
            label = QLabel(name)
            label.setFont(big)
            box = QLineEdit()
            box.setFont(big)
            box.setMaxLength(2)
            box.setFixedWidth(64)
            box.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.setAccessibleName(self.tr("Preference for {0}").format(name))
            box.setObjectName(f"box{i}")
            box.installEventFilter(self)
            label.setMinimumHeight(34)
            label.setBuddy(box)
            grid.addWidget(arrow, i, 0)
            grid.addWidget(key, i, 1)
            grid.addWidget(label, i, 2)
            grid.addWidget(box, i, 3)
            self.boxes.append(box)
            self.name_labels.append(label)
            self.key_labels.append(key)
        # a long paper scrolls inside the form: the message, the hint and the status bar stay on screen
        self.scroll = QScrollArea()
        self.scroll.setWidget(paper)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setMinimumHeight(3 * 40)
        self.scroll.setAccessibleName(self.tr("Ballot paper"))

        # the picker takes the paper's own place, so opening it never changes the size of anything
        self.picker = RejectPicker(headings, big)
        self.picker.back.connect(self._back_to_paper)
        self.picker.keep.connect(lambda: self._emit(PaperEntry(self._keep)))
        self.picker.reject.connect(lambda heading: self._emit(PaperEntry((), heading)))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.scroll)
        self.stack.addWidget(self.picker)

        bold = QFont(big)
        bold.setBold(True)
        # room for two lines kept at all times: a message appearing never moves the form
        self.message = TextLine(bold, lines=2, colour=theme.alarm_colour())
        self.message.setAccessibleName(self.tr("Problem with this paper"))
        self.hint = TextLine(QFont(), lines=2)
        self.hint.setAccessibleName(self.tr("Keys"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.mode_label)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.hint)
        self.set_paper_number(1)
        self._show_mode()

    # --- public ---------------------------------------------------------------------------------------

    @property
    def reject_list(self) -> QListWidget:
        return self.picker.list

    @property
    def reject_prompt(self) -> QLabel:
        return self.picker.prompt

    def set_paper_number(self, number: int, batch: str = "") -> None:
        self.number = number
        text = self.tr("Paper {0}").format(number)
        if batch:
            text = self.tr("{0} · batch {1}").format(text, batch)
        self.heading.setText(text)

    def clear(self) -> None:
        self._open = None
        self.marks.clear()
        for box in self.boxes:
            if box.text():
                box.clear()
            if box.styleSheet():  # restyling is costly: only the boxes that were red
                box.setStyleSheet("")
        self._hide_reject()
        self._refresh()
        self.focus_box(0)

    def show_ranking(self, ranking: tuple[int, ...]) -> None:
        """Put a saved paper back in the boxes (to key it again as a correction)."""
        self.clear()
        for pref, cand in enumerate(ranking, start=1):
            self._set_mark(cand, pref)

    def focus_box(self, i: int) -> None:
        self._close_open()  # a half-typed two-digit preference ends when focus moves
        if self.boxes:
            i = max(0, min(i, len(self.boxes) - 1))
            self.boxes[i].setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(self.boxes[i], 0, 8)
            self._mark_row(i)

    def current(self) -> int:
        for i, box in enumerate(self.boxes):
            if box.hasFocus():
                return i
        return 0

    def set_hotkey_mode(self, on: bool) -> None:
        self._close_open()
        self.hotkey_mode = on
        self._show_mode()

    def set_locked(self, text: str) -> None:
        """A declared contest: the paper cannot be keyed, and does not look as if it could."""
        self.locked = bool(text)
        self.clear()
        for box in self.boxes:
            box.setEnabled(not self.locked)
        if self.locked and self._marked is not None:
            self.arrows[self._marked].set_on(False)
            self._marked = None
        if self.locked:
            self.heading.setText(self.tr("Locked: the result is declared"))
            self.message.setText(text)
            self.hint.setText(self.tr("Nothing more can be keyed in this contest."))
            self.mode_label.setText("")
        else:
            self._show_mode()

    @property
    def check(self) -> PaperCheck:
        return self._check

    # --- keys -----------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                event.ignore()  # the boxes' own Ctrl+Z etc. must not hide the window's shortcuts
                return True
            return False
        if event.type() == QEvent.Type.FocusOut and watched is self._box_open():
            self._close_open()
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if watched in self.boxes:
            return self._box_key(self.boxes.index(watched), event)
        return False

    def _box_key(self, i: int, event: QKeyEvent) -> bool:
        key = event.key()
        text = event.text()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False  # window shortcuts (Ctrl+Z, ...) pass through
        if self.locked:
            return key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        if key == Qt.Key.Key_F3:
            self.set_hotkey_mode(not self.hotkey_mode)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._commit()
            return True
        if key == Qt.Key.Key_Down:
            self.focus_box(i + 1)
            return True
        if key == Qt.Key.Key_Up:
            self.focus_box(i - 1)
            return True
        if key == Qt.Key.Key_Backspace:
            if self.hotkey_mode:
                self._undo_hotkey()
            elif i in self.marks:
                self._set_mark(i, None)
            else:
                self.focus_box(i - 1)
            return True
        if key == Qt.Key.Key_Tab or key == Qt.Key.Key_Backtab:
            return False
        if text and text.isdigit() and not self.hotkey_mode:
            self._digit(i, int(text))
            return True
        if text.upper() == "R" and (not self.hotkey_mode or "R" not in self.hotkeys):
            self._open_reject(self._check.suggest or ("" if self.marks else "unmarked"), from_enter=False)
            return True
        if text and self.hotkey_mode and text.isalpha():
            self._hotkey(text.upper())
            return True
        if text and text.isprintable():
            return True  # swallow anything else: the boxes only ever hold preferences
        return False

    def _mark_row(self, i: int) -> None:
        """The row being keyed gets an arrow, so the eye finds it at once. Only the two arrows that change
        are touched, and they have a fixed width, so no relayout happens on a keystroke."""
        if self._marked == i or self.hotkey_mode or self.locked:
            return
        if self._marked is not None:
            self.arrows[self._marked].set_on(False)
        self._marked = i
        self.arrows[i].set_on(True)

    def _box_open(self) -> QLineEdit | None:
        return self.boxes[self._open] if self._open is not None else None

    def _close_open(self) -> None:
        """The waiting first digit stands alone: "1_" becomes "1"."""
        if self._open is not None:
            i, self._open = self._open, None
            if i in self.marks:
                self.boxes[i].setText(str(self.marks[i]))

    def _digit(self, i: int, digit: int) -> None:
        n = len(self.names)
        old = self.marks.get(i)
        if old is not None and self._open == i and 0 < old * 10 + digit <= n:
            self._open = None
            self._set_mark(i, old * 10 + digit)  # second digit of a preference such as 10 or 12
            self.focus_box(i + 1)
            return
        if old is not None and self._open == i:
            # the first digit stood alone: it stays, and this digit belongs to the next box
            self._close_open()
            if i + 1 < n:
                self.focus_box(i + 1)
                self._digit(i + 1, digit)
            return
        if digit == 0 or digit > n:
            self.message.setText(self.tr("There are only {0} candidates: preferences run from 1 to {0}.").format(n))
            return
        self._set_mark(i, digit)
        if digit * 10 <= n:
            self._open = i  # could still become 1x: wait for the next key, and show that it waits
            self.boxes[i].setText(f"{digit}_")
        else:
            self.focus_box(i + 1)

    def _hotkey(self, letter: str) -> None:
        if letter not in self.hotkeys:
            self.message.setText(self.tr("No candidate has the key {0}.").format(letter))
            return
        cand = self.hotkeys.index(letter)
        if cand in self.marks:
            self.message.setText(self.tr("{0} already has preference {1}.").format(self.names[cand], self.marks[cand]))
            return
        self._set_mark(cand, max(self.marks.values(), default=0) + 1)

    def _undo_hotkey(self) -> None:
        if self.marks:
            last = max(self.marks, key=self.marks.__getitem__)
            self._set_mark(last, None)

    def _set_mark(self, i: int, pref: int | None) -> None:
        if pref is None:
            self.marks.pop(i, None)
            self.boxes[i].clear()
            if self._open == i:
                self._open = None
        else:
            self.marks[i] = pref
            self.boxes[i].setText(str(pref))
        self._refresh()

    def _refresh(self) -> None:
        """Recheck the paper after each keystroke; only boxes whose state changed are restyled."""
        self._check = check_paper(self.marks, self.names) if self.marks else PaperCheck(())
        for j, box in enumerate(self.boxes):
            want = RED_BOX if j in self._check.bad else ""
            if box.styleSheet() != want:
                box.setStyleSheet(want)
        self.message.setText(self._check.problem)
        self._show_so_far()
        self.marks_changed.emit()

    def _show_so_far(self) -> None:
        """A paper too long for the screen scrolls, so some of its keyed preferences are out of sight: the
        line under the heading then says the whole paper as keyed so far, by name, in preference order."""
        if self.locked:
            return
        if self.marks and self.scroll.verticalScrollBar().maximum() > 0:
            keyed = " · ".join(f"{pref} {self.names[c]}" for c, pref in sorted(self.marks.items(),
                                                                                key=lambda cp: (cp[1], cp[0])))
            self.mode_label.setText(self.tr("This paper so far: {0}").format(keyed))
        else:
            self.mode_label.setText(self._mode_text)

    def _commit(self) -> None:
        self._close_open()
        check = self._check
        if self.marks and check.clean:
            self.paper_entered.emit(PaperEntry(check.ranking))
            return
        # blank or broken: Enter offers to go back first; nothing is rejected by Enter alone
        if not self.marks:
            self.message.setText(self.tr("The paper is blank: press R to reject it as unmarked, or key its "
                                         "preferences."))
        self._open_reject(check.suggest or "unmarked", keep=check.ranking)

    # --- how to record a paper that cannot be saved as keyed ------------------------------------------

    def _open_reject(self, suggest: str, keep: tuple[int, ...] = (), from_enter: bool = True) -> None:
        self._close_open()
        self._keep = keep
        words = " · ".join(f"{p} {self.names[c]}" for p, c in enumerate(keep, start=1))
        self.stack.setCurrentWidget(self.picker)
        self.picker.open(words, suggest, from_enter)

    def _emit(self, entry: PaperEntry) -> None:
        self._hide_reject()
        self.paper_entered.emit(entry)

    def _back_to_paper(self) -> None:
        self._hide_reject()
        bad = sorted(self._check.bad)
        self.focus_box(bad[0] if bad else 0)

    def _hide_reject(self) -> None:
        if self.stack.currentWidget() is not self.scroll:
            self.stack.setCurrentWidget(self.scroll)

    def reject_open(self) -> bool:
        return self.stack.currentWidget() is self.picker

    def _show_mode(self) -> None:
        if self.hotkey_mode:
            if self._marked is not None:
                self.arrows[self._marked].set_on(False)  # no row arrow: letters, not the cursor, choose the box
            self._marked = None
            self.hint.setText(self.tr("Letters: next preference for that candidate · Backspace: take the last "
                                      "back · Enter: save the paper · R: reject · F3: digit mode"))
            self._mode_text = self.tr("Hot-key mode: press the candidates' letters in preference order")
            self.paper.setStyleSheet("")  # letters choose the box: no box looks like "the cursor is here"
            for box in self.boxes:
                box.setReadOnly(True)  # nor shows a text cursor (the form's key filter still hears every key)
        else:
            wait = self.tr(" · with 10 or more candidates \u201c1_\u201d waits for a second digit") \
                if len(self.names) >= HOTKEYS_FROM else ""
            self.hint.setText(self.tr("Digits: preference, then next box · Up/Down: move · Backspace: clear · "
                                      "Enter: save the paper · R: reject · F3: hot-key mode") + wait)
            self._mode_text = self.tr("Digit mode: type each candidate's preference number")
            self.paper.setStyleSheet(FOCUS_BOX)
            for box in self.boxes:
                box.setReadOnly(False)
            self._mark_row(self.current())
        self._show_so_far()
