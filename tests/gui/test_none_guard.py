"""A long session must not abort on PySide6's lost references (see opensel_desktop/gui/__init__.py)."""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QLineEdit

import opensel_desktop.gui  # noqa: F401 - adds the spare references


class Emitter(QObject):
    fired = Signal()


def test_many_calls_do_not_exhaust_the_singletons(qtbot):
    box = QLineEdit()
    label = QLabel()
    qtbot.addWidget(box)
    qtbot.addWidget(label)
    emitter = Emitter()
    emitter.fired.connect(lambda: None)
    for _ in range(20_000):  # far more than these objects' own reference counts without the guard
        box.property("never-set")
        label.setText("x")
        emitter.fired.emit()
    assert min(sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)) > 1 << 30
