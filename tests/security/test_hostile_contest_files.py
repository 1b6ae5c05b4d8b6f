"""Hostile contest files and CSV ballots through the real `opensel check`, `count` and `convert` commands.

Every input of hostile_corpus.py is given to the installed command line in its own process, as a user
would: each must be refused with exit 1 and one sentence on stderr naming the file, with no traceback,
nothing on stdout, no raw control, escape, bidi or zero-width character on the terminal, no hang (a run
has RUN_TIMEOUT seconds), the input unchanged and no output file written. The CLI takes one file per
command, so each input costs one process; two run at a time. One command per input runs always (check
for a contest file, count for CSV ballots); the other two per input are marked slow.

Formula cells (names starting with = + - @) are not refused: they are valid names, so the last test
converts them and checks that no cell written can run as a spreadsheet formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cli_run import run_opensel
from hostile_corpus import Hostile, build

RUN_TIMEOUT = 30
# what must never reach a terminal raw: C0 controls but the newline, DEL and C1, bidi embeddings, overrides and
# isolates, zero-width characters and marks, line/paragraph separators, the byte order mark
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\u2028\u2029\ufeff]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Hostile]]:
    root = tmp_path_factory.mktemp("hostile-contest-files")
    return root, build(root / "corpus")


def _env(root: Path) -> dict[str, str]:
    return dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", HOME=str(root / "home"), PYTHONWARNINGS="ignore")


def _digest(path: Path) -> str | None:
    if not path.is_file() or path.is_symlink() or path.stat().st_size > 100_000_000:
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _commands(h: Hostile, slow: bool) -> list[list[str]]:
    """The runs for one input; OUT/ stands for the run's own output folder."""
    f = str(h.path)
    if h.path.suffix == ".yaml":
        every = [["check", f], ["count", f], ["convert", f, "OUT/out.csv"]]
    else:
        every = [["count", f, "--rule", "av"], ["convert", f, "OUT/out.csv"],
                 ["convert", f, "OUT/out.yaml", "--rule", "av"]]
    return every[1:] if slow else every[:1]


def _one(argv: list[str], h: Hostile, out: Path, env: dict[str, str]) -> str | None:
    """None when the run was refused as promised, else what went wrong."""
    before = _digest(h.path)
    try:
        proc = run_opensel(*argv, env=env, ok=False, cwd=out, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"hung for more than {RUN_TIMEOUT} s"
    except AssertionError as exc:  # exit code other than 1, several lines, or a traceback
        return f"not one refusal: {str(exc)[:400]}"
    wrong = []
    if str(h.path) not in proc.stderr:
        wrong.append("the sentence does not name the file")
    if proc.stdout:
        wrong.append(f"stdout is not empty: {proc.stdout[:200]!r}")
    raw = RAW.search(proc.stderr + proc.stdout)
    if raw:
        wrong.append(f"U+{ord(raw.group()):04X} reached the terminal raw")
    if "internal error" in proc.stderr:
        wrong.append("an internal error")
    if _digest(h.path) != before:
        wrong.append("the input changed")
    if any(out.iterdir()):
        wrong.append(f"wrote {sorted(p.name for p in out.iterdir())}")
    return f"{'; '.join(wrong)}: {proc.stderr.strip()[:300]!r}" if wrong else None


def _refuse_all(root: Path, files: list[Hostile], slow: bool) -> tuple[int, list[str]]:
    env = _env(root)
    (root / "home").mkdir(exist_ok=True)
    jobs = []
    for h in files:
        for argv in _commands(h, slow):
            out = root / ("out-slow" if slow else "out") / str(len(jobs))  # its own folder, found empty after
            out.mkdir(parents=True)
            jobs.append(([a.replace("OUT", str(out), 1) if a.startswith("OUT/") else a for a in argv], h, out))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda j: _one(*j, env), jobs))
    failures = [f"opensel {' '.join(argv)} ({h.what}): {r}" for (argv, h, _), r in zip(jobs, results, strict=True)
                if r is not None]
    assert not any(root.rglob("pwned.txt"))  # the !!python/object/apply input ran nothing
    return len(jobs), failures


def test_the_corpus_is_large_and_varied(corpus):
    _, files = corpus
    assert len(files) >= 100
    assert sum(h.path.suffix == ".csv" for h in files) >= 20
    assert len({h.what for h in files}) >= 90  # not one trick a hundred times


def test_every_hostile_input_is_refused_in_one_sentence(corpus):
    root, files = corpus
    tried, failures = _refuse_all(root, files, slow=False)
    print(f"hostile inputs refused cleanly: {tried - len(failures)} / {tried}")
    assert not failures, f"{len(failures)} of {tried} runs misbehaved:\n" + "\n".join(failures)


@pytest.mark.slow
def test_every_hostile_input_is_refused_by_count_and_convert_too(corpus):
    root, files = corpus
    tried, failures = _refuse_all(root, files, slow=True)
    print(f"hostile inputs refused cleanly by the other commands: {tried - len(failures)} / {tried}")
    assert not failures, f"{len(failures)} of {tried} runs misbehaved:\n" + "\n".join(failures)


FORMULA_NAMES = ["=HYPERLINK(\"http://evil\",\"click\")", "+SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "@SUM(1)",
                 "'=already guarded", "Ordinary Name"]


def test_formula_names_are_written_so_no_spreadsheet_runs_them(tmp_path):
    env = _env(tmp_path)
    src = tmp_path / "formulas.yaml"
    quoted = ", ".join("'" + n.replace("'", "''") + "'" for n in FORMULA_NAMES)
    src.write_text("format: opensel-contest/1\ntitle: T\nmethod: {rule: scottish, seats: 1}\n"
                   f"candidates: [{quoted}]\nballots:\n  - {{ranking: [1, 2, 3], count: 2}}\n"
                   "  - {ranking: [4, 5, 6]}\n", encoding="utf-8")
    ballots, stages = tmp_path / "b.csv", tmp_path / "r.stages.csv"
    run_opensel("convert", str(src), str(ballots), env=env)
    run_opensel("convert", str(src), str(stages), env=env)
    counted = run_opensel("count", str(src), "--format", "csv", env=env).stdout
    for text in (ballots.read_text(encoding="utf-8"), stages.read_text(encoding="utf-8"), counted):
        cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or
                    (c.startswith("-") and not re.fullmatch(r"-[0-9.]+", c))]
    back = tmp_path / "back.yaml"
    run_opensel("convert", str(ballots), str(back), "--rule", "scottish", env=env)
    names = run_opensel("check", str(back), "--json", env=env).stdout
    assert json.loads(names)["candidates"] == FORMULA_NAMES  # read back exactly as written
