"""Colours that stay readable on the system's light or dark palette (the app follows the system's theme).

Warnings are never colour alone: every red or green text also says in words what is wrong or right.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette


def is_dark() -> bool:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def alarm() -> str:
    return "#ff7b7b" if is_dark() else "#b00000"


def good() -> str:
    return "#7bd88f" if is_dark() else "#1e7a34"


def alarm_colour() -> QColor:
    return QColor(alarm())


def label_style(colour: str, bold: bool = False) -> str:
    return f"QLabel {{ color: {colour};{' font-weight: bold;' if bold else ''} }}"


def alarm_style(bold: bool = False) -> str:
    return label_style(alarm(), bold)


def good_style(bold: bool = False) -> str:
    return label_style(good(), bold)
