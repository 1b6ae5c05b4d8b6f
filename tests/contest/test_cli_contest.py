"""`opensel check / count / convert` on contest files: the examples count, what-ifs are marked, results export."""

import csv
import io
import json
from pathlib import Path

import pytest
from rcvformats.schemas.universaltabulator import SchemaV0

from opensel_desktop.cli import main
from opensel_desktop.contest.yaml_io import load_contest
from opensel_desktop.engine import RULES

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "resources" / "examples"
REQUIRED = ["av-parliamentary.yaml", "block-officers.yaml", "stv-delegates.yaml", "exhaustive-meeting.yaml"]


def needs_rule(name: str):
    rule = load_contest(EXAMPLES / name).rule
    return pytest.param(name, marks=pytest.mark.xfail(rule not in RULES, reason=f"rule {rule} not registered yet",
                                                      strict=True))


def run_json(args, capsys):
    assert main(args) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("name", [needs_rule(n) for n in REQUIRED])
def test_each_required_example_checks_and_counts_from_the_cli(name, capsys):
    path = str(EXAMPLES / name)
    assert main(["check", path]) == 0
    assert "valid contest file" in capsys.readouterr().out
    contest = load_contest(path)
    result = run_json(["count", path, "--format", "json"], capsys)
    assert result["rule"] == contest.rule and result["seats"] == contest.seats
    assert result["what_if"] is False
    assert len(result["elected"]) == contest.seats
    assert set(result["elected"]) <= set(contest.names)
    assert main(["count", path]) == 0
    text = capsys.readouterr().out
    assert "WHAT-IF" not in text and "Elected: " in text


def test_block_example_keeps_the_women_minimum(capsys):
    contest = load_contest(EXAMPLES / "block-officers.yaml")
    result = run_json(["count", str(EXAMPLES / "block-officers.yaml"), "--format", "json"], capsys)
    women = {c.name for c in contest.candidates if c.categories.get("gender") == "woman"}
    assert len(women & set(result["elected"])) >= 3


def test_stv_example_conserves_votes_at_every_stage(capsys):
    result = run_json(["count", str(EXAMPLES / "stv-delegates.yaml"), "--format", "json"], capsys)
    poll = result["valid_poll"]
    for st in result["stages"]:
        total = sum(int(v.replace(".", "")) for v in st["votes"].values()) + int(st["non_transferable"].replace(".", ""))
        assert total == int(poll.replace(".", ""))


def test_rule_or_seats_on_the_command_line_make_a_what_if(capsys):
    path = str(EXAMPLES / "stv-delegates.yaml")
    result = run_json(["count", path, "--format", "json", "--seats", "5"], capsys)
    assert result["what_if"] is True and result["seats"] == 5 and len(result["elected"]) == 5
    assert main(["count", path, "--rule", "ers97"]) == 0
    assert capsys.readouterr().out.startswith("WHAT-IF")
    same = run_json(["count", path, "--format", "json", "--rule", "scottish"], capsys)
    assert same["what_if"] is False


def test_x_vote_papers_cannot_be_counted_by_a_ranked_rule(capsys):
    assert main(["count", str(EXAMPLES / "block-officers.yaml"), "--rule", "scottish"]) == 1
    assert "X-votes" in capsys.readouterr().err


def test_unknown_rule_in_a_valid_position_is_one_sentence(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("format: opensel-contest/1\ntitle: T\nmethod: {rule: meek, seats: 1}\ncandidates: [A, B, C]\n"
                    "ballots:\n  - {ranking: [A, B]}\n", encoding="utf-8")
    code = main(["count", str(path)])
    err = capsys.readouterr().err
    if "meek" in RULES:
        assert code == 0
    else:
        assert code == 1 and err.count("\n") == 1 and "meek" in err


@pytest.mark.parametrize("name", ["stv-delegates.yaml", needs_rule("av-parliamentary.yaml")])
def test_rcvis_output_passes_the_universal_tabulator_schema(name, capsys):
    data = run_json(["count", str(EXAMPLES / name), "--format", "rcvis"], capsys)
    schema = SchemaV0()
    assert schema.validate(data), schema.last_error()
    assert data["config"]["contest"] == load_contest(EXAMPLES / name).title


@pytest.mark.parametrize("blt", ["droop/blt/scotland/Linn-2007.blt", "droop/blt/42.blt",
                                 "ers97-model/ers97.blt", "droop/blt/M135.blt"])
def test_rcvis_of_reference_counts_validates(blt, capsys):
    data = run_json(["count", str(REPO / "tests/data/reference-cases" / blt), "--rule", "scottish",
                     "--format", "rcvis", "--seed", "1"], capsys)
    schema = SchemaV0()
    assert schema.validate(data), schema.last_error()


def test_convert_counts_into_json_csv_and_rcvis(tmp_path, capsys):
    src = str(EXAMPLES / "stv-delegates.yaml")
    out_json, out_csv, out_rcvis = tmp_path / "r.json", tmp_path / "r.stages.csv", tmp_path / "r.rcvis.json"
    for out in (out_json, out_csv, out_rcvis):
        assert main(["convert", src, str(out)]) == 0
    counted = run_json(["count", src, "--format", "json"], capsys)
    assert json.loads(out_json.read_text(encoding="utf-8")) == counted
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert rows[0][0] == "candidate" and len(rows[0]) == len(counted["stages"]) + 1
    assert SchemaV0().validate(json.loads(out_rcvis.read_text(encoding="utf-8")))


def test_convert_never_overwrites_without_force(tmp_path, capsys):
    src = str(EXAMPLES / "av-parliamentary.yaml")
    out = tmp_path / "x.blt"
    out.write_text("keep me", encoding="utf-8")
    assert main(["convert", src, str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "keep me"
    assert main(["convert", src, str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("4 1\n")
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("args, message", [
    (["in.txt", "out.blt"], "cannot read a .txt file"),
    (["in.yaml", "out.pdf"], "cannot write a .pdf file"),
    (["missing.yaml", "out.blt"], "no such file"),
])
def test_convert_refusals_are_one_sentence(tmp_path, capsys, args, message):
    assert main(["convert", *(str(tmp_path / a) for a in args)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / args[1]).exists()


def test_yml_extension_counts_and_rcvis_carries_the_contest_description(tmp_path, capsys):
    src = tmp_path / "delegates.yml"
    src.write_bytes((EXAMPLES / "stv-delegates.yaml").read_bytes())
    assert run_json(["count", str(src), "--format", "json"], capsys)["seats"] == 9
    out = tmp_path / "d.rcvis"
    assert main(["convert", str(src), str(out)]) == 0
    config = json.loads(out.read_text(encoding="utf-8"))["config"]
    contest = load_contest(src)
    assert config["contest"] == contest.title and config["date"] == contest.date
    assert config["office"] == contest.position and config["jurisdiction"] == contest.organisation


@pytest.mark.parametrize("rule", ["ers97", "wigm", "meek", "av", "fptp", "block"])
def test_rcvis_validates_for_every_rule_family(rule, capsys):
    if rule not in RULES:
        pytest.skip(f"rule {rule} not registered yet")
    seats = ["--seats", "1"] if rule in ("av", "fptp") else []
    data = run_json(["count", str(REPO / "tests/data/reference-cases/droop/blt/SC.blt"), "--rule", rule,
                     "--format", "rcvis", "--seed", "1", *seats], capsys)
    schema = SchemaV0()
    assert schema.validate(data), schema.last_error()
