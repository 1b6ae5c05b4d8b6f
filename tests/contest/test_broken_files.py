"""The corpus of broken contest and BLT files: each refused with the exact message at the exact place."""

import json
from pathlib import Path

import pytest

from opensel_desktop.cli import main
from opensel_desktop.contest.blt import read_blt
from opensel_desktop.contest.errors import ContestError
from opensel_desktop.contest.yaml_io import load_contest

BROKEN = Path(__file__).resolve().parent.parent / "data" / "broken"
INDEX = {k: v for k, v in json.loads((BROKEN / "index.json").read_text(encoding="utf-8")).items()
         if not k.startswith("_")}


def test_the_corpus_is_complete():
    files = sorted(p.name for p in BROKEN.iterdir() if p.suffix in (".yaml", ".blt"))
    assert files == sorted(INDEX), "every broken file needs its expected problems in index.json"
    assert len(files) >= 30
    assert sum(f.endswith(".blt") for f in files) >= 10


def _where(p) -> str:
    return f"{p.line or '-'}:{p.column or '-'}: {p.message}"


@pytest.mark.parametrize("name", sorted(INDEX))
def test_broken_file_is_refused_with_message_and_place(name):
    path = BROKEN / name
    before = path.read_bytes()
    loader = load_contest if name.endswith(".yaml") else read_blt
    with pytest.raises(ContestError) as err:
        loader(path)
    assert [_where(p) for p in err.value.problems] == INDEX[name]
    assert all(p.path == str(path) for p in err.value.problems)
    assert path.read_bytes() == before  # nothing modified


@pytest.mark.parametrize("name", sorted(INDEX))
def test_cli_refuses_each_broken_file_in_one_clear_message(name, capsys):
    path = BROKEN / name
    args = ["check", str(path)] if name.endswith(".yaml") else ["count", str(path), "--rule", "scottish"]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    first = INDEX[name][0]
    loc = first.split(": ", 1)[0].replace("-:-", "").replace(":-", "")
    assert err.startswith(f"opensel: {path}{':' + loc if loc else ''}: ")
