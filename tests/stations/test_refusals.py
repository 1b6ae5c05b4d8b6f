"""Every refusal of a batch file is one sentence, and nothing is merged from a refused file."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from station_helpers import PASSPHRASE, Meeting, key_batch

from opensel_desktop.app import entry
from opensel_desktop.app.core import Session
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.stations import (
    ALREADY,
    MERGED,
    READY,
    REFUSED,
    UNCHECKED,
    create_station_file,
    create_station_pack,
    export_batch,
    inspect_batch_file,
    merge_batches,
)
from opensel_desktop.contest.yaml_io import load_contest

FEW = [[0, 1], [1, 2, 0], [2], [3, 4], [4, 0, 1]]


def journal_state(path: Path) -> tuple[int, str]:
    with Session.open(path, "auditor", readonly=True) as s:
        return len(s.events()), s.head_hash


def refused(meeting_file: Path, batch: Path, *words: str) -> str:
    """Merge one file that must be refused: one sentence naming the file, and the journal unchanged."""
    before = journal_state(meeting_file)
    with Session.open(meeting_file, "Jane Smith") as s:
        (outcome,) = merge_batches(s, [batch])
        assert inspect_batch_file(batch, s).status == REFUSED
    assert outcome.status == REFUSED, outcome.message
    assert outcome.message.startswith(f"{batch}: ") and outcome.message.endswith("nothing was merged from it.")
    assert outcome.message.count(". ") == 0 and "\n" not in outcome.message
    for word in words:
        assert word in outcome.message, outcome.message
    assert journal_state(meeting_file) == before
    return outcome.message


def station_copy(meeting: Meeting, name: str, tmp_path: Path) -> Path:
    target = tmp_path / f"{name}-copy.osel"
    shutil.copyfile(meeting.stations[name], target)
    return target


def test_batch_from_an_unknown_station(meeting: Meeting, tmp_path: Path) -> None:
    elsewhere = meeting.fresh("ghost-meeting.osel")  # the same contest, but a station registered only there
    with Session.open(elsewhere, "Jane Smith") as s:
        create_station_pack(s, "ghost", tmp_path / "ghost.oselpack", PASSPHRASE, officer_key=meeting.key)
    with create_station_file(tmp_path / "ghost.oselpack", tmp_path / "ghost.osel", "Ghost", PASSPHRASE) as station:
        key_batch(station, "G", FEW, ("Ann", "Bob"))
        export_batch(station, "G", tmp_path / "ghost-G.oselbatch", PASSPHRASE, first_paper=9001)
    refused(meeting.fresh("unknown-station.osel"), tmp_path / "ghost-G.oselbatch", "'ghost'", "not registered")


def test_batch_for_another_contest(meeting: Meeting, tmp_path: Path) -> None:
    with Session.create(load_contest(meeting.contest_yaml), tmp_path / "other.osel", "Someone Else") as other:
        create_station_pack(other, "table-1", tmp_path / "other.oselpack", PASSPHRASE, officer_key=meeting.key)
    with create_station_file(tmp_path / "other.oselpack", tmp_path / "other-station.osel", "Ann", PASSPHRASE) as station:
        key_batch(station, "A", FEW, ("Ann", "Bob"))
        export_batch(station, "A", tmp_path / "other-A.oselbatch", PASSPHRASE, first_paper=1)
    refused(meeting.fresh("another-contest.osel"), tmp_path / "other-A.oselbatch", "another contest")


def test_one_byte_edited_after_signing(meeting: Meeting, tmp_path: Path) -> None:
    target = meeting.fresh("edited.osel")
    data = meeting.batches["table-2/A"].read_bytes()
    positions = random.Random(1).sample(range(len(data)), 20)
    marks = data.index(b'"marks":[') + len(b'"marks":[')  # a preference inside an entry
    positions += [marks, data.index(b'"exported_by":"') + 16, data.index(b'"signature":"') + 20]
    for i, pos in enumerate(positions):
        edited = bytearray(data)
        edited[pos] = edited[pos] ^ 0x01 if pos != marks else (ord("3") if data[pos] != ord("3") else ord("4"))
        path = tmp_path / f"edited-{i}.oselbatch"
        path.write_bytes(bytes(edited))
        refused(target, path)
    assert "changed after it was signed" in refused(target, tmp_path / f"edited-{len(positions) - 3}.oselbatch")
    assert "signature is not that of station table-2" in refused(target, tmp_path / f"edited-{len(positions) - 1}"
                                                                               ".oselbatch")
    with Session.open(target, "Jane Smith") as s:  # the original still merges
        assert merge_batches(s, [meeting.batches["table-2/A"]])[0].status == MERGED


def test_truncated_file(meeting: Meeting, tmp_path: Path) -> None:
    target = meeting.fresh("truncated.osel")
    data = meeting.batches["table-3/B"].read_bytes()
    for i, cut in enumerate((len(data) // 2, len(data) - 1, 1)):
        path = tmp_path / f"truncated-{i}.oselbatch"
        path.write_bytes(data[:cut])
        refused(target, path, "incomplete or damaged")
        assert inspect_batch_file(path).status == REFUSED
    empty = tmp_path / "empty.oselbatch"
    empty.write_bytes(b"")
    refused(target, empty, "incomplete or damaged")
    not_ours = tmp_path / "notes.oselbatch"
    not_ours.write_text("papers of table 3\n", encoding="utf-8")
    refused(target, not_ours, "not an OpenSel batch file")
    refused(target, tmp_path / "missing.oselbatch", "no such file")


def test_same_batch_twice_is_a_no_op_with_a_message(meeting: Meeting, tmp_path: Path) -> None:
    target = meeting.fresh("twice.osel")
    batch = meeting.batches["table-1/B"]
    assert inspect_batch_file(batch).status == UNCHECKED  # without the meeting: form and chain only
    with Session.open(target, "Jane Smith") as s:
        assert inspect_batch_file(batch, s).status == READY
        first = merge_batches(s, [batch])[0]
        assert first.status == MERGED
        before = journal_state(target)
        again = merge_batches(s, [batch, batch])
        assert [o.status for o in again] == [ALREADY, ALREADY]
        assert again[0].message == f"{batch}: batch B of station table-1 is already merged (event {first.event}); " \
                                   "nothing to do."
        assert journal_state(target) == before
        assert s.ballots().total == 50
        with Session.open(target, "Deputy") as other_window:
            assert merge_batches(other_window, [batch])[0].status == ALREADY
        assert journal_state(target) == before
    # the same batch exported again (another file, another hash) is refused, not merged twice
    with Session.open(station_copy(meeting, "table-1", tmp_path), "Lead", readonly=True) as station:
        export_batch(station, "B", tmp_path / "again.oselbatch", PASSPHRASE)
    refused(target, tmp_path / "again.oselbatch", "already merged from a different file")


def test_two_batches_claiming_the_same_paper_numbers(meeting: Meeting, tmp_path: Path) -> None:
    copy = station_copy(meeting, "table-1", tmp_path)
    with Session.open(copy, "Lead") as station:
        for label in ("X", "Y", "C"):
            key_batch(station, label, FEW, ("Ann", "Bob"))
        export_batch(station, "X", tmp_path / "X.oselbatch", PASSPHRASE, first_paper=1001)
        export_batch(station, "Y", tmp_path / "Y.oselbatch", PASSPHRASE, first_paper=1003)
        export_batch(station, "C", tmp_path / "C.oselbatch", PASSPHRASE, first_paper=1)
    target = meeting.fresh("claims.osel")
    with Session.open(target, "Jane Smith") as s:
        assert merge_batches(s, [tmp_path / "X.oselbatch"])[0].status == MERGED
    refused(target, tmp_path / "Y.oselbatch", "papers 1003-1005 are already claimed by batch table-1/X")
    # papers issued to batch A of table-1 cannot be claimed by another batch, merged or not
    refused(target, tmp_path / "C.oselbatch", "issued to batch table-1/A")


def test_station_refuses_to_export_an_unagreed_batch_or_with_a_wrong_passphrase(meeting: Meeting,
                                                                                 tmp_path: Path) -> None:
    copy = station_copy(meeting, "table-2", tmp_path)
    with Session.open(copy, "Lead") as station:
        for marks in FEW:
            entry.enter_paper(station, marks, "Ann", batch="Z")
        with pytest.raises(AppError, match="batch Z is not agreed \\(awaiting second entry\\)"):
            export_batch(station, "Z", tmp_path / "Z.oselbatch", PASSPHRASE, first_paper=5000)
        with pytest.raises(AppError, match="passphrase is wrong"):
            export_batch(station, "A", tmp_path / "A.oselbatch", "not the passphrase")
        with pytest.raises(AppError, match="already exists"):
            export_batch(station, "A", meeting.batches["table-2/A"], PASSPHRASE)
    assert not (tmp_path / "Z.oselbatch").exists() and not (tmp_path / "A.oselbatch").exists()


def test_station_names_and_issued_numbers_are_checked_when_registering(meeting: Meeting, tmp_path: Path) -> None:
    from opensel_desktop.app.stations import IssuedBatch

    target = meeting.fresh("register.osel")
    before = journal_state(target)
    with Session.open(target, "Jane Smith") as s:
        for station, batches, words in (
                ("table-1", (), "already registered"),
                ("main", (), "cannot name a station"),
                ("table-9", (IssuedBatch("Q", 40, 60),), "overlap papers 1-50 already issued to table-1/A"),
                ("table-9", (IssuedBatch("Q", 700, 710), IssuedBatch("Q", 720, 730)), "given twice")):
            with pytest.raises(AppError, match=words):
                create_station_pack(s, station, tmp_path / f"{station}.oselpack", PASSPHRASE, batches,
                                    officer_key=meeting.key)
            assert not (tmp_path / f"{station}.oselpack").exists()
    assert journal_state(target) == before
