"""Entry point of `opensel-desktop [FILE]` (placeholder window until the GUI issue lands)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from opensel_desktop import APP_NAME, __version__


def main(argv: list[str] | None = None) -> int:
    app = QApplication(sys.argv if argv is None else argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("OpenSel")
    win = QMainWindow()
    win.setWindowTitle(f"{APP_NAME} {__version__}")
    win.setCentralWidget(QLabel("OpenSel Desktop"))
    win.show()
    return app.exec()
