"""The window fits a 1280x720 laptop, at 100% and at 200%: it never grows by itself, the paper scrolls, the
rejection picker has its place, and the problem sentence, the keys hint, the status line and the account
light stay on screen through a whole walk of the screens (fit_checks.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from fit_checks import walk

from opensel_desktop.gui.main_window import MainWindow

HERE = Path(__file__).resolve().parent


def test_everything_fits_1280_by_720(qtbot, tmp_path, settings):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    outcome = walk(window, tmp_path, (1280, 720))
    assert outcome["problems"] == [], outcome
    assert outcome["minimum"]["bundle columns"] == 10  # eight saved bundles, the next one, the totals
    window.close()


def test_everything_fits_at_200_percent(tmp_path):
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 2560, "height": 1440,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
           "QT_LOGGING_RULES": "qt.qpa.*=false"}
    proc = subprocess.run([sys.executable, str(HERE / "fit_checks.py"), str(tmp_path)], capture_output=True,
                          text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    outcome = json.loads(proc.stdout.strip().splitlines()[-1])
    assert outcome["scale"] == 2.0 and outcome["screen"] == [1280, 720]  # 2560x1440 pixels at 200%
    assert outcome["problems"] == [], outcome
