"""The engine, the contest readers and the store are type-checked strictly (mypy, configured in
pyproject.toml): a count's values are exact integers and a journal payload has one shape, so a stray float,
a None where a match was expected or an untyped helper is a finding here, not a surprise at a count."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_lower_layers_pass_strict_type_checks(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success" in proc.stdout
