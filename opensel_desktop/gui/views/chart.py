"""First-preference bar chart drawn with QPainter (no QtCharts in PySide6-Essentials)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from opensel_desktop.engine.arithmetic import fmt

BAR = QColor(52, 110, 200)
ELECTED_BAR = QColor(46, 160, 67)


class BarChartView(QWidget):
    """Horizontal bars, one per candidate in ballot order, with the figure at the end of each bar.

    `bars` are (name, scaled value); `line` is an optional quota or majority line on the same scale.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: list[tuple[str, int]] = []
        self.places = 0
        self.line: int | None = None
        self.line_label = ""
        self.highlight: set[str] = set()
        self.watermark = ""
        self.caption = ""  # what the bars show ("Votes at the last stage (stage 4)"), top left
        self.setAccessibleName(self.tr("Votes chart"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(120)  # many candidates squeeze their rows (and type) rather than grow the window

    def set_data(self, bars: list[tuple[str, int]], places: int = 0, line: int | None = None,
                 line_label: str = "", highlight: set[str] | None = None) -> None:
        self.bars, self.places, self.line, self.line_label = list(bars), places, line, line_label
        self.highlight = set(highlight or ())
        desc = "; ".join(f"{n}: {fmt(v, places)}" for n, v in self.bars)
        self.setAccessibleDescription(desc)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, max(160, 34 * len(self.bars) + 40))

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        if not self.bars:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No papers entered yet"))
            p.end()
            return
        font = QFont(self.font())
        p.setFont(font)
        fm = p.fontMetrics()
        room = (self.height() - 2 * (fm.height() + 6)) / len(self.bars)
        if room < fm.height() + 4:  # too many bars for this height: smaller type, never clipped rows
            font.setPixelSize(max(7, int(room) - 4))
            p.setFont(font)
            fm = p.fontMetrics()
        label_w = max(fm.horizontalAdvance(n) for n, _ in self.bars) + 12
        value_w = max(fm.horizontalAdvance(fmt(v, self.places)) for _, v in self.bars) + 12
        top, left = float(fm.height() + 6), float(label_w + 8)
        right = float(self.width() - value_w - 8)
        row_h = max(fm.height() + 2.0, (self.height() - 2 * top) / len(self.bars))
        bar_h = min(row_h * 0.7, fm.height() * 2.0)
        biggest = max([v for _, v in self.bars] + [self.line or 0, 1])
        width = max(right - left, 10.0)
        for i, (name, value) in enumerate(self.bars):
            y = top + i * row_h
            p.setPen(text)
            p.drawText(QRectF(4, y, label_w, row_h), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                       name)
            w = width * value / biggest
            colour = ELECTED_BAR if name in self.highlight else BAR
            p.fillRect(QRectF(left, y + (row_h - bar_h) / 2, w, bar_h), colour)
            p.drawText(QRectF(left + w + 6, y, value_w + 40, row_h), Qt.AlignmentFlag.AlignVCenter,
                       fmt(value, self.places))
        if self.caption:
            p.setPen(text)
            p.drawText(QRectF(4, 0, self.width() / 2, top), Qt.AlignmentFlag.AlignLeft, self.caption)
        if self.line:
            x = left + width * self.line / biggest
            pen = QPen(QColor(200, 40, 40))
            pen.setWidth(2)
            pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(int(x), 2, int(x), int(top + row_h * len(self.bars)))
            label_width = fm.horizontalAdvance(self.line_label) + 8
            if x + label_width > self.width():  # near the right edge: write it on the left of the line
                p.drawText(QRectF(x - label_width, 0, label_width - 4, top), Qt.AlignmentFlag.AlignRight,
                           self.line_label)
            else:
                p.drawText(QRectF(x + 4, 0, label_width, top), Qt.AlignmentFlag.AlignLeft, self.line_label)
        if self.watermark:
            wm = QFont(font)
            wm.setPointSize(max(18, self.height() // 8))
            wm.setBold(True)
            p.setFont(wm)
            p.setPen(QColor(200, 40, 40, 60))
            p.translate(self.width() / 2, self.height() / 2)
            p.rotate(-20)
            p.drawText(QRectF(-self.width(), -self.height() / 2, 2 * self.width(), self.height()),
                       Qt.AlignmentFlag.AlignCenter, self.watermark)
        p.end()
