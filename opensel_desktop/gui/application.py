"""Entry point of `opensel-desktop [FILE]`: the app, opening a contest file (.yaml) or saved contest (.osel).

Qt 6 scales for high-DPI screens by itself (fractional factors passed through, so 150% and 200% stay
sharp); the palette is left to the platform so the app follows the system's light or dark theme.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from opensel_desktop import APP_ID, APP_NAME, __version__

ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"


def app_icon() -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = ICONS / f"opensel-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    svg = ICONS / "opensel.svg"
    if icon.isNull() and svg.is_file():
        icon.addFile(str(svg))
    return icon


def make_app(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if app is None:  # (tests and the benchmark may have made it already: then only name it)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("OpenSel")
    app.setOrganizationDomain("opensel.org")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    if not app.property("opensel-translator-done"):
        translator = QTranslator(app)
        if translator.load(QLocale(), "opensel", "_", str(ICONS.parent / "translations")):
            app.installTranslator(translator)  # a Welsh (or other) interface, when one is shipped
        app.setProperty("opensel-translator-done", True)
    return app  # type: ignore[return-value]


def start(args: list[str]):
    """The app and its window, with FILE opened if given (everything `main` does before the event loop)."""
    from opensel_desktop.gui.main_window import MainWindow

    app = make_app(args)
    files = [a for a in args[1:] if not a.startswith("-")]
    window = MainWindow()
    window.show()
    if files:
        path = Path(files[0])
        if not path.is_file():
            window.say(QCoreApplication.translate("main", "{0} was not found; choose a file with Open.").format(
                path.name))
        elif path.suffix.lower() in (".yaml", ".yml"):
            window.new_from_contest(str(path))
        else:
            window.open_file(str(path))
    return app, window


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if any(a in ("-h", "--help") for a in args[1:]):
        print("usage: opensel-desktop [CONTEST.yaml | MEETING.osel]")
        return 0
    if any(a == "--version" for a in args[1:]):
        print(f"{APP_NAME} {__version__}")
        return 0
    app, _window = start(args)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
