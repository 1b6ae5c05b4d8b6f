"""Render opensel.svg to the PNG sizes desktops ask for (QtSvg): .venv/bin/python resources/icons/render_icons.py"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts for the "1" need a GUI application
    renderer = QSvgRenderer(str(HERE / "opensel.svg"))
    if not renderer.isValid():
        raise SystemExit("opensel.svg is not a valid SVG")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = HERE / f"opensel-{size}.png"
        if not image.save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(out.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
