"""Drawing a lot: who is tied and why, how the lot is drawn, who witnessed it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from opensel_desktop.gui import theme


@dataclass(frozen=True, slots=True)
class LotDecision:
    how: str  # "physical" | "seed"
    chosen: str | None  # the RO's physical draw; None when a seed decides
    seed: str | None
    witnesses: tuple[str, ...]


class LotDialog(QDialog):
    def __init__(self, among: tuple[str, ...], stage: int, reason: str, purpose: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.among = among
        self.setWindowTitle(self.tr("A lot must be drawn"))
        self.setAccessibleName(self.tr("Lot drawing"))
        verb = {"exclude": self.tr("which of them is excluded"), "elect": self.tr("which of them is elected"),
                "surplus": self.tr("whose surplus is transferred first")}.get(purpose, self.tr("the order"))
        intro = QLabel(self.tr("At stage {0}, {1} cannot be separated: {2}. The lot decides {3}.").format(
            stage, self.tr(" and ").join(among), reason, verb))
        intro.setWordWrap(True)
        self.physical = QRadioButton(self.tr("&Physical draw by the returning officer (names in a hat)"))
        self.physical.setAccessibleName(self.tr("Physical draw"))
        self.seeded = QRadioButton(self.tr("&Seeded draw shown on screen (same seed, same outcome)"))
        self.seeded.setAccessibleName(self.tr("Seeded draw"))
        group = QButtonGroup(self)
        group.addButton(self.physical)
        group.addButton(self.seeded)
        self.physical.setChecked(True)
        self.chosen = QComboBox()
        self.chosen.addItems(list(among))
        self.chosen.setCurrentIndex(-1)  # nobody is preselected: the RO picks the name actually drawn
        self.chosen.setPlaceholderText(self.tr("choose the name drawn"))
        self.chosen.setAccessibleName(self.tr("Name drawn"))
        self.seed = QLineEdit()
        self.seed.setAccessibleName(self.tr("Seed"))
        self.witnesses = QLineEdit()
        self.witnesses.setAccessibleName(self.tr("Witnesses present"))
        self.witnesses.setPlaceholderText(self.tr("names, separated by commas"))
        self.message = QLabel()
        self.message.setStyleSheet(theme.alarm_style())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Name &drawn:"), self.chosen)
        form.addRow(self.tr("S&eed:"), self.seed)
        form.addRow(self.tr("&Witnesses:"), self.witnesses)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.physical)
        layout.addWidget(self.seeded)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.physical.toggled.connect(self._mode)
        self._mode()

    def _mode(self) -> None:
        self.chosen.setEnabled(self.physical.isChecked())
        self.seed.setEnabled(not self.physical.isChecked())

    def decision(self) -> LotDecision:
        witnesses = tuple(w.strip() for w in self.witnesses.text().split(",") if w.strip())
        if self.physical.isChecked():
            return LotDecision("physical", self.chosen.currentText(), None, witnesses)
        return LotDecision("seed", None, self.seed.text().strip(), witnesses)

    def _accept(self) -> None:
        d = self.decision()
        if not d.witnesses:
            self.message.setText(self.tr("Name at least one witness to the draw, then press OK."))
            return
        if d.how == "physical" and not d.chosen:
            self.message.setText(self.tr("Choose the name that was drawn, then press OK."))
            return
        if d.how == "seed" and not d.seed:
            self.message.setText(self.tr("Type the seed agreed in the room, then press OK."))
            return
        self.accept()
