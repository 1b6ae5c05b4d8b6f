"""Helpers for the result-sheet tests: real key files, real saved contests, real PDFs and poppler tools."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opensel_desktop.app import declaring
from opensel_desktop.app.core import Session
from opensel_desktop.contest.yaml_io import load_contest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "resources" / "examples").glob("*.yaml"))
PASSPHRASE = "correct horse battery"
OPENSEL = [sys.executable, "-m", "opensel_desktop.cli"]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (apt: poppler-utils / zbar-tools, see .ci/run)")
    return path


def run_cli(*args: str, passphrase: str | None = PASSPHRASE, in_process: bool = True) -> subprocess.CompletedProcess:
    """Run `opensel ARGS`: in this process through the CLI's own main() (fast), or as a real subprocess."""
    env = dict(os.environ)
    env.pop("OPENSEL_PASSPHRASE", None)
    if passphrase is not None:
        env["OPENSEL_PASSPHRASE"] = passphrase
    if not in_process:
        return subprocess.run([*OPENSEL, *args], capture_output=True, text=True, env=env, timeout=120,
                              stdin=subprocess.DEVNULL)
    from opensel_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["opensel", *args], code, out.getvalue(), err.getvalue())


def pdf_text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    args = [need("pdftotext"), "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def declared_osel(tmp: Path, example: str = "stv-delegates.yaml", declare: bool = True,
                  key: Path | None = None) -> Path:
    """A saved contest made from an example through the app's own session: counted and declared (signed by
    `key`, a key file under PASSPHRASE, when given)."""
    from opensel_desktop.app.keys import load_officer_key

    contest = load_contest(REPO / "resources" / "examples" / example)
    path = tmp / (Path(example).stem + ".osel")
    officer_key = load_officer_key(key, PASSPHRASE) if key is not None else None
    with Session.create(contest, path, contest.returning_officer or "Returning Officer") as s:
        declaring.count_meeting(s)
        if declare:
            declaring.declare(s, contest.returning_officer or "Returning Officer", key=officer_key)
    return path


# ---- synthetic fields and what a PDF text extractor reads back ----------------------------------------

FIRST_NAMES = ("Siân", "Łukasz", "Dafydd", "Aisha", "Gwenllian", "Mohammed", "Zofia", "Rhodri", "Priya", "Eilidh",
               "Tomasz", "Ffion", "Oluwaseun", "Caoimhe", "Ibrahim", "Bethan", "Marek", "Nia", "Kwame", "Hywel")
LAST_NAMES = ("ap Gwŵr", "Nowak", "Rahman", "Evans-Llewelyn", "Wiśniewski", "O'Neill", "Adeyemi-Thompson", "Patel",
              "MacDonald", "Hughes")


def field_names(n: int) -> tuple[str, ...]:
    """n distinct, realistic, sometimes long names in several scripts' letters."""
    return tuple(f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // len(FIRST_NAMES) + i) % len(LAST_NAMES)]}"
                 + (f" {i // (len(FIRST_NAMES) * len(LAST_NAMES)) + 2}" if i >= len(FIRST_NAMES) * len(LAST_NAMES)
                    else "") for i in range(n))


def synthetic_ballots(ncand: int, papers: int, seed: int, longest: int = 6):
    """Seeded ranked papers: Zipf-like popularity, Plackett-Luce orders (Gumbel trick), most voters ranking
    one to four candidates; identical rankings grouped."""
    import numpy as np

    from opensel_desktop.engine import Ballots

    rng = np.random.default_rng(seed)
    weights = 1.0 / (1 + rng.permutation(ncand)) ** 0.9
    keys = np.log(weights)[None, :] + rng.gumbel(size=(papers, ncand))
    order = np.argsort(-keys, axis=1)
    lengths = rng.choice(np.arange(1, longest + 1), size=papers,
                         p=np.array([30, 22, 16, 12, 10, 10][:longest]) / sum([30, 22, 16, 12, 10, 10][:longest]))
    grouped: dict[tuple[int, ...], int] = {}
    for row, k in zip(order.tolist(), lengths.tolist(), strict=True):
        key = tuple(row[:k])
        grouped[key] = grouped.get(key, 0) + 1
    return Ballots.from_rankings(grouped.items())


def pdf_words(pdf: Path) -> list[list[dict]]:
    """Every page's words as pdfplumber reads them (the chars a copy-and-paste or a screen reader gets)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(str(pdf)) as doc:
        return [page.extract_words(keep_blank_chars=False, use_text_flow=False) for page in doc.pages]


def pdf_chars(pdf: Path) -> list[list[dict]]:
    """Every page's visible characters with their boxes."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(str(pdf)) as doc:
        return [[{k: c[k] for k in ("text", "x0", "x1", "top", "bottom")} for c in page.chars if c["text"].strip()]
                for page in doc.pages]


def overlapping_chars(chars: list[dict], tolerance: float = 0.8) -> list[tuple[str, str]]:
    """Pairs of characters whose boxes intersect: text drawn over other text, or a cell overflowing into the
    next (which a word extractor would merge into one garbled word, such as "n0ot")."""
    out = []
    cs = sorted(chars, key=lambda c: c["x0"])
    for i, a in enumerate(cs):
        for b in cs[i + 1:]:
            if b["x0"] >= a["x1"] - tolerance:
                break
            if min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 2 * tolerance:
                out.append((a["text"], b["text"]))
    return out


GLUED = (
    re.compile(r"\d\.\d+[+\u2212\-]?\d[\d,]*\.\d"),  # two decimal figures in one word: 5517.00000−5517.00000
    re.compile(r"\d[+\u2212]\d"),  # a figure run into a signed figure: 1131.07172+1006.27743
    re.compile(r"\.\d{2,}[A-Za-z]"),  # a figure run into a word: 16.96489Elected
    re.compile(r"[a-z]{3,}[+\u2212]?\d[\d,]*\.\d{2,}"),  # a word run into a figure: quota16.00000
    re.compile(r"\d\.\d*[A-Za-z]"),  # a figure whose characters interleave with a word's: 16.9E6l4e8c9ted
)


def glued_figures(words: list[dict]) -> list[str]:
    return [w["text"] for w in words if any(p.search(w["text"]) for p in GLUED)]


def pdf_lines(pdf: Path, page: int | None = None) -> str:
    """The text in reading order, one line per row of words on the page (words sharing a baseline),
    so a table row reads as one line whatever a text extractor's column heuristics make of it."""
    pages = pdf_words(pdf)
    chosen = pages if page is None else [pages[page - 1]]
    out = []
    for words in chosen:
        rows: list[list[dict]] = []
        for w in sorted(words, key=lambda w: (round(w["bottom"]), w["x0"])):
            if rows and abs(rows[-1][0]["bottom"] - w["bottom"]) < 1.5:
                rows[-1].append(w)
            else:
                rows.append([w])
        out += [" ".join(x["text"] for x in sorted(r, key=lambda w: w["x0"])) for r in rows]
    return "\n".join(out)


def pdf_rules(pdf: Path) -> list[list[tuple[float, float, float]]]:
    """Every page's vertical rules (a table's column lines): (x, top, bottom)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(str(pdf)) as doc:
        return [[(ln["x0"], ln["top"], ln["bottom"]) for ln in page.lines
                 if abs(ln["x0"] - ln["x1"]) < 0.01 and ln["bottom"] - ln["top"] > 2] for page in doc.pages]


def chars_across_rules(chars: list[dict], rules: list[tuple[float, float, float]]) -> list[str]:
    """Characters that straddle a table's column line: a cell whose text runs out of it."""
    out = []
    for x, top, bottom in rules:
        for c in chars:
            if c["x0"] < x - 0.5 < x + 0.5 < c["x1"] and min(c["bottom"], bottom) - max(c["top"], top) > 1:
                out.append(c["text"])
    return out


def assert_reads_back_cleanly(pdf: Path) -> None:
    """No two characters overlap, no two figures are glued into one word, no text crosses a column line."""
    pages = zip(pdf_words(pdf), pdf_chars(pdf), pdf_rules(pdf), strict=True)
    for number, (words, chars, rules) in enumerate(pages, start=1):
        assert overlapping_chars(chars) == [], f"page {number}"
        assert glued_figures(words) == [], f"page {number}"
        assert chars_across_rules(chars, rules) == [], f"page {number}"
