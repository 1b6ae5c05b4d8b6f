"""Entry point of `opensel-desktop [FILE]`: the app, opening a contest file (.yaml) or saved contest (.osel).

Qt 6 scales for high-DPI screens by itself (fractional factors passed through, so 150% and 200% stay
sharp); the palette is left to the platform so the app follows the system's light or dark theme. The icons
and translations are package data, found through importlib.resources, so the app finds them wherever it is
installed (a source checkout, `pipx install .`, a PyInstaller bundle). The window title is the app's own
("OpenSel Desktop 0.1.0 — <contest>"): no display name is set, so the platform adds nothing to it.
"""

from __future__ import annotations

import sys
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from opensel_desktop import APP_ID, APP_NAME, __version__

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def package_data(*parts: str) -> Traversable:
    return resources.files("opensel_desktop.gui").joinpath(*parts)


def icon_files() -> list[Traversable]:
    """The app's icon in every size shipped (the hicolor tree the .desktop file's Icon= names)."""
    tree = package_data("icons", "hicolor")
    files = [tree.joinpath(f"{s}x{s}", "apps", f"{APP_ID}.png") for s in ICON_SIZES]
    return [f for f in files if f.is_file()] or [f for f in [tree.joinpath("scalable", "apps", f"{APP_ID}.svg")]
                                                  if f.is_file()]


def app_icon() -> QIcon:
    icon = QIcon()
    for f in icon_files():
        with resources.as_file(f) as path:
            icon.addFile(str(path))
    return icon if not icon.isNull() else QIcon.fromTheme(APP_ID)


def make_app(argv: list[str]) -> QApplication:
    app = QApplication.instance()
    if app is None:  # (tests and the benchmark may have made it already: then only name it)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("OpenSel")
    app.setOrganizationDomain("opensel.org")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    if not app.property("opensel-translator-done"):
        translator = QTranslator(app)
        translations = package_data("translations")
        if translations.is_dir():
            with resources.as_file(translations) as folder:
                if translator.load(QLocale(), "opensel", "_", str(folder)):
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
    from opensel_desktop.gui import crash

    crash.install()  # from here on, a fault of the app opens the crash dialog and saves a report
    app, _window = start(args)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
