"""Several teller laptops, one count: station packs, signed batch files, and the merge.

The returning officer registers each teller station in the meeting's journal (`station_registered`:
its name, its Ed25519 public key, the batches and paper numbers issued to it, the SHA-256 of its pack)
and writes a station pack signed with her key (app/station_pack.py): the contest and the envelope of
her first journal event (so the contest id can be recomputed), the station name, her certificate and
the station's private key sealed under a passphrase she gives the station's tellers by word of mouth
(OPENSEL_STATION_PASSPHRASE). A station checks the pack and opens its key before it sets up its own
.osel (`create_station_file`), keys its batches with the ordinary double entry, and exports each agreed
batch as a signed batch file (store/batchfile.py) citing the pack's SHA-256 and its contest's digest.
The station key never enters the station's .osel: it is read from the pack at each export.

The officer merges batch files in any order: each is verified (form, chain, contest id, a registered
station's signature, the pack journaled for that station, the same contest, not already merged, no paper
number claimed twice, the batch agreed) and journaled as ONE `batch_merged` event whose entries replay
as if keyed here, under the batch label "STATION/BATCH". A refused file changes nothing; the same file
again is a no-op. `audit_merges` re-verifies every merged batch from the journal alone (`opensel audit`).

For the GUI import dialog: `inspect_batch_file(path, session)` and `merge_batches(session, paths)`
(docs/app-api.md, "Stations and batch files").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from opensel_desktop import __version__
from opensel_desktop.app.changes import Changes
from opensel_desktop.app.core import MAIN_STATION, Session, Write
from opensel_desktop.app.entry import check_marks
from opensel_desktop.app.errors import AppError
from opensel_desktop.app.keys import (
    PASSPHRASE_ENV,
    OfficerKey,
    certificate_fingerprint,
    certificate_name,
    check_new_passphrase,
    create_private_file,
    load_officer_key,
    passphrase_from_env_or_prompt,
)
from opensel_desktop.app.station_pack import StationPack, build_pack, contest_digest, read_pack
from opensel_desktop.contest.files import FileRefused, read_named_file
from opensel_desktop.contest.names import printable
from opensel_desktop.store import batchfile
from opensel_desktop.store import events as ev
from opensel_desktop.store.batchfile import BatchFile, BatchFileError
from opensel_desktop.store.contest_json import contest_from_data
from opensel_desktop.store.events import Event, canonical_json
from opensel_desktop.store.replay import FIRST, SECOND, Batch, Replay

STATION_ENV = "OPENSEL_STATION_PASSPHRASE"
# what a batch file may carry: a batch's papers, bundles, corrections, resolutions and rejections
ENTRY_KINDS = ev.BATCH_ENTRY_KINDS

MERGED, ALREADY, REFUSED, READY = "merged", "already merged", "refused", "ready to merge"
UNCHECKED = "not yet verified"  # inspected without the meeting: form and chain only


@dataclass(frozen=True, slots=True)
class IssuedBatch:
    """A batch of ballot papers handed to a station, with the numbers printed on its papers."""

    label: str
    first: int
    last: int

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "first": self.first, "last": self.last}


@dataclass(frozen=True, slots=True)
class PackInfo:
    path: str
    station: str
    public_key: str  # hex
    batches: tuple[IssuedBatch, ...]
    message: str


@dataclass(frozen=True, slots=True)
class ExportInfo:
    path: str
    station: str
    batch: str
    papers: int
    paper_numbers: tuple[int, int] | None  # first and last claimed
    sha256: str
    message: str


@dataclass(frozen=True, slots=True)
class BatchFileStatus:
    """What the GUI's import table shows for one file (and what `merge_batches` reports)."""

    path: str
    status: str  # "ready to merge" | "merged" | "already merged" | "refused"
    message: str  # one sentence
    station: str = ""
    batch: str = ""
    papers: int | None = None
    sha256: str = ""
    event: int | None = None  # journal seq of the batch_merged event, when merged


@dataclass(frozen=True, slots=True)
class BatchRow:
    station: str
    batch: str
    state: str  # "merged" | "issued, not returned"
    papers: int | None
    first: int | None
    last: int | None
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class StationAccount:
    """Papers per batch and per station, and batches issued but not returned."""

    stations: tuple[str, ...]
    rows: tuple[BatchRow, ...]  # sorted by station, then batch

    def papers(self, station: str | None = None) -> int:
        return sum(r.papers or 0 for r in self.rows if r.state == MERGED and station in (None, r.station))

    @property
    def outstanding(self) -> tuple[BatchRow, ...]:
        return tuple(r for r in self.rows if r.state != MERGED)

    def lines(self) -> list[str]:
        out = []
        for s in self.stations:
            rows = [r for r in self.rows if r.station == s]
            merged = [r for r in rows if r.state == MERGED]
            out.append(f"Station {s}: {len(merged)} batch{'es' if len(merged) != 1 else ''} merged, "
                       f"{self.papers(s)} papers.")
            for r in rows:
                numbers = f" (papers {r.first}-{r.last})" if r.first is not None else ""
                if r.state == MERGED:
                    out.append(f"  batch {r.batch}: {r.papers} papers{numbers}, merged.")
                else:
                    out.append(f"  batch {r.batch}{numbers}: issued, not returned yet.")
        missing = self.outstanding
        out.append(f"All stations: {self.papers()} papers merged; "
                   + (f"{len(missing)} batch{'es' if len(missing) != 1 else ''} issued but not returned."
                      if missing else "every batch issued has been returned."))
        return out

    def to_json_dict(self) -> dict[str, Any]:
        return {"stations": list(self.stations),
                "batches": [{"station": r.station, "batch": r.batch, "state": r.state, "papers": r.papers,
                             "first": r.first, "last": r.last, "sha256": r.sha256} for r in self.rows]}


# ---- what the officer's journal says about stations --------------------------------------------------


@dataclass(slots=True)
class Registry:
    """Registered stations and merged batches, read from the main journal (kept current while merging)."""

    contest_id: str
    stations: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> station_registered data
    merged: dict[str, tuple[int, str, str, int]] = field(default_factory=dict)  # sha -> (seq, station, batch, papers)
    by_batch: dict[tuple[str, str], str] = field(default_factory=dict)  # (station, batch) -> sha
    claims: dict[int, str] = field(default_factory=dict)  # paper number -> "station/batch"
    numbers: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # sha -> (first, last) claimed

    @classmethod
    def of(cls, events: Iterable[Event], contest_id: str) -> Registry:
        reg = cls(contest_id)
        for e in events:
            if e.kind == ev.STATION_REGISTERED:
                d = e.data
                reg.stations[d["station"]] = d
            elif e.kind == ev.BATCH_MERGED:
                d = e.data
                if "file_sha256" in d:
                    reg.add(e.seq, d["file_sha256"], d["station"], d["batch"], d["paper_numbers"], d["papers"])
        return reg

    def add(self, seq: int, sha: str, station: str, batch: str, numbers: Sequence[int], papers: int) -> None:
        self.merged[sha] = (seq, station, batch, papers)
        self.by_batch[(station, batch)] = sha
        for n in numbers:
            self.claims[n] = f"{station}/{batch}"
        self.numbers[sha] = (min(numbers), max(numbers)) if numbers else None

    def issued(self) -> dict[tuple[str, str], IssuedBatch]:
        out = {}
        for name, d in self.stations.items():
            for b in d.get("batches", ()):
                out[(name, b["label"])] = IssuedBatch(b["label"], int(b["first"]), int(b["last"]))
        return out


def registry(session: Session) -> Registry:
    return Registry.of(session.events(), session.contest_id)


def station_account(session: Session) -> StationAccount:
    """The ballot paper account by station and batch: merged papers, and what is still expected."""
    reg = registry(session)
    issued = reg.issued()
    rows = []
    for sha, (_seq, station, batch, papers) in reg.merged.items():
        span = reg.numbers.get(sha)
        rows.append(BatchRow(station, batch, MERGED, papers, span[0] if span else None, span[1] if span else None,
                             sha))
    for (station, label), b in issued.items():
        if (station, label) not in reg.by_batch:
            rows.append(BatchRow(station, label, "issued, not returned", None, b.first, b.last))
    rows.sort(key=lambda r: (r.station, r.batch))
    return StationAccount(tuple(sorted(reg.stations)), tuple(rows))


# ---- the station pack (officer's laptop) ------------------------------------------------------------


def _station_name(name: str, where: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise AppError("a station needs a name; give it with --station NAME.", where=where)
    if len(text) > 100 or "/" in text or text.casefold() == MAIN_STATION:
        raise AppError(f"{text!r} cannot name a station (at most 100 characters, no '/', not "
                       f"{MAIN_STATION!r}); choose another name.", where=where)
    return text


def parse_issued(specs: Iterable[str], where: str) -> tuple[IssuedBatch, ...]:
    """'A=1-50' -> IssuedBatch('A', 1, 50): the batch label and the numbers printed on its papers."""
    out = []
    for spec in specs:
        label, sep, span = spec.rpartition("=")
        first, dash, last = span.partition("-")
        if not sep or not label.strip() or not dash or not first.strip().isdigit() or not last.strip().isdigit():
            raise AppError(f"cannot read --batch {spec!r}; write LABEL=FIRST-LAST, the numbers printed on "
                           "the batch's first and last papers (for example --batch A=1-50).", where=where)
        out.append(IssuedBatch(label.strip(), int(first), int(last)))
    return tuple(out)


def _check_issued(batches: Sequence[IssuedBatch], reg: Registry, station: str, where: str) -> None:
    taken = [(f"{s}/{b.label}", b) for (s, _), b in reg.issued().items()]
    labels: set[str] = set()
    for b in batches:
        if b.first < 1 or b.last < b.first:
            raise AppError(f"batch {b.label}: papers {b.first}-{b.last} is not a range of paper numbers; "
                           "give the first and the last number, first at least 1.", where=where)
        if b.label in labels:
            raise AppError(f"batch {b.label} is given twice; give each batch once.", where=where)
        labels.add(b.label)
        for name, other in taken:
            if b.first <= other.last and other.first <= b.last:
                raise AppError(f"papers {b.first}-{b.last} of batch {b.label} overlap papers "
                               f"{other.first}-{other.last} already issued to {name}; check the numbers.", where=where)
        taken.append((f"{station}/{b.label}", b))


def station_passphrase(prompt: str = "Station passphrase: ", confirm: bool = False,
                       officer_laptop: bool = False) -> str:
    """The station passphrase: OPENSEL_STATION_PASSPHRASE, else (on a station's laptop only, where no
    officer's key is used) OPENSEL_PASSPHRASE, else asked at the terminal. On the officer's laptop
    OPENSEL_PASSPHRASE is her own key's passphrase and is never taken for the station's."""
    variables = (STATION_ENV,) if officer_laptop else (STATION_ENV, PASSPHRASE_ENV)
    return passphrase_from_env_or_prompt(prompt, confirm, variables)


def create_station_pack(session: Session, station: str, path: str | Path, passphrase: str,
                        batches: Sequence[IssuedBatch] = (), officer: str | None = None,
                        officer_key: str | Path | OfficerKey | None = None,
                        officer_passphrase: str | None = None) -> PackInfo:
    """Register a station in the journal and write its pack, signed with the officer's key (a key file
    and its passphrase, or an OfficerKey already open); never overwrites. The station's private key is
    sealed under `passphrase`, which its tellers need to set the station up and export batch files."""
    where = str(session.path)
    station = _station_name(station, where)
    if session.replay.station_pack:
        raise AppError("this is a teller station's file; station packs are made on the returning "
                       "officer's laptop, from the meeting's file.", where=where)
    check_new_passphrase(passphrase, "station passphrase")
    if officer_key is None:
        raise AppError("a station pack is signed with the returning officer's key",
                       hint_cli="give her key file with --key OFFICER.key.", hint_gui="choose her key file.", where=where)
    if officer_passphrase is not None and passphrase == officer_passphrase:
        raise AppError("The station passphrase is the officer's own passphrase; choose another one for the "
                       "station (its tellers will know it).")
    events = session.events()
    reg = Registry.of(events, session.contest_id)
    if station in reg.stations:
        raise AppError(f"station {station} is already registered; choose another name for a new station.", where=where)
    _check_issued(batches, reg, station, where)
    if isinstance(officer_key, OfficerKey):
        key = officer_key
    elif officer_passphrase is None:
        raise AppError(f"the officer's key needs its passphrase to sign the pack; set "
                       f"{PASSPHRASE_ENV} or type it when asked.", where=officer_key)
    else:
        key = load_officer_key(officer_key, officer_passphrase)
    from opensel_desktop.app.trust import require_pinned_key

    require_pinned_key(session.replay, key, "station packs")  # once a key is pinned, only it signs packs
    officer_name = officer or session.contest.returning_officer or session.actor
    issued = [b.to_json() for b in batches]
    data, public = build_pack(events[0], station, issued, officer_name, key, passphrase, session.clock(),
                              __version__)
    create_private_file(Path(path), data, "station pack")
    try:
        record_station(session, {"station": station, "public_key": public, "batches": issued,
                                "pack_sha256": _sha256(data), "officer_fingerprint": key.fingerprint,
                                "officer_certificate_sha256": _sha256(key.certificate_pem())},
                               officer=officer_name)
    except BaseException:
        Path(path).unlink(missing_ok=True)  # an unregistered pack would only be refused at the merge
        raise
    shown = ", ".join(f"{b.label} (papers {b.first}-{b.last})" for b in batches) or "none yet"
    return PackInfo(str(path), station, public, tuple(batches),
                    f"Station {station} registered; its pack is {path}, signed by {printable(key.name)} "
                    f"(batches issued: {shown}).")


def create_station_file(pack_path: str | Path, path: str | Path, officer: str, passphrase: str) -> Session:
    """A station's own saved contest from its pack, after every check of the pack and the opening of its
    key with the station passphrase. The key itself stays in the pack: the .osel records the pack's
    SHA-256 and where it was read, and `export_batch` reads the key from there."""
    pack = read_pack(pack_path)
    pack.station_key(passphrase)
    try:
        contest = contest_from_data(pack["contest"], source=str(pack_path))
    except (TypeError, ValueError, KeyError, AppError):
        raise AppError("the station pack's contest cannot be read; ask the returning officer for a "
                       "new pack.", where=pack_path) from None
    return Session.create(contest, path, officer, station=pack["station"],
                          station_pack=pack.station_file_info(pack_path))


def pack_signer(session: Session) -> tuple[str, str]:
    """(name, fingerprint) of the officer who signed a station file's pack, as her certificate gives
    them, for the station to compare with what she published."""
    info = session.replay.station_pack or {}
    try:
        cert = x509.load_pem_x509_certificate(str(info.get("officer_certificate", "")).encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return "", ""
    return certificate_name(cert), certificate_fingerprint(cert.public_bytes(serialization.Encoding.DER))


# ---- batch export (station laptop) ------------------------------------------------------------------


def _agreed_numbers(b: Batch) -> list[int]:
    """Paper numbers within the batch that count."""
    if b.is_bundle:
        return list(range(1, b.paper_count() + 1))
    return b.agreed_numbers()


def export_batch(session: Session, batch: str, path: str | Path, passphrase: str | Callable[[], str],
                 first_paper: int | None = None, exported_by: str | None = None,
                 pack_path: str | Path | None = None) -> ExportInfo:
    """Write one agreed batch of this station as a signed batch file (never overwrites). The station key
    is read from the pack (`pack_path`, by default where it was when the station was set up) and opened
    with `passphrase` (or what the function given returns: it is asked only once the batch can go)."""
    where = str(session.path)
    session.batches()  # reads what was written since the session last looked (another window, say)
    session.require_verified()  # never sign entries of a journal edited outside the app
    pack = session.replay.station_pack
    if not pack:
        raise AppError("this is not a station's file; export batches from the .osel made with "
                       "`opensel new --from-pack`.", where=where)
    b = session.replay.batches.get(batch)
    if b is None:
        raise AppError(f"there is no batch {batch!r}; batches: {', '.join(session.replay.batches) or 'none'}.", where=where)
    status = b.status()
    if not status.counts:
        raise AppError(f"batch {batch} is not agreed ({status.state}); finish its second entry and resolve "
                       "every mismatch (`opensel diff`) before exporting it.", where=where)
    issued = {d["label"]: IssuedBatch(d["label"], int(d["first"]), int(d["last"])) for d in pack.get("batches", ())}
    if first_paper is None:
        if batch not in issued:
            raise AppError(f"batch {batch} was not issued to this station with paper numbers; give "
                           "--first-paper N, the number printed on its first paper.", where=where)
        first_paper = issued[batch].first
    if first_paper < 1:
        raise AppError("paper numbers start at 1.", where=where)
    numbers = [first_paper + n - 1 for n in _agreed_numbers(b)]
    if batch in issued and numbers and (numbers[0] < issued[batch].first or numbers[-1] > issued[batch].last):
        i = issued[batch]
        raise AppError(f"batch {batch} was issued papers {i.first}-{i.last} but its papers are numbered "
                       f"{numbers[0]}-{numbers[-1]}; check the batch for papers keyed twice.", where=where)
    station_pack = _station_pack_for(session, pack_path)
    key = station_pack.station_key(passphrase if isinstance(passphrase, str) else passphrase())
    raw = [(e.kind, e.actor, e.at, e.data, e.hash) for e in session.events()
           if e.batch == batch and e.kind in ENTRY_KINDS]
    header = {"contest_id": pack["contest_id"], "station": pack["station"], "batch": batch,
              "first_paper": first_paper, "paper_numbers": numbers, "papers": status.papers,
              "exported_at": session.clock(), "exported_by": exported_by or session.actor,
              "station_file": session.contest_id, "station_head": session.head_hash,
              "pack_sha256": pack["pack_sha256"], "contest_sha256": contest_digest(session.contest)}
    data = batchfile.build(header, batchfile.chain_entries(raw), pack["public_key"], key.sign)
    create_private_file(Path(path), data, "batch file")
    span = (numbers[0], numbers[-1]) if numbers else None
    return ExportInfo(str(path), pack["station"], batch, status.papers, span, _sha256(data),
                      f"Batch {batch} of station {pack['station']} exported to {path}: {status.papers} papers"
                      + (f" (papers {span[0]}-{span[1]})" if span else "") + ", signed.")


def _station_pack_for(session: Session, pack_path: str | Path | None) -> StationPack:
    """The pack this station was set up from: at `pack_path`, or where it was read at set-up."""
    where = str(session.path)
    info = session.replay.station_pack or {}
    if "pack_sha256" not in info:
        raise AppError("this station was set up by an earlier OpenSel, from a pack that is not signed; "
                       "ask the returning officer for a new pack and set the station up again.", where=where)
    path = Path(pack_path) if pack_path is not None else Path(str(info.get("pack_file", "")))
    if pack_path is None and not path.is_file():
        raise AppError(f"the station pack is no longer at {path}, where it was when this station was set "
                       "up", hint_cli="copy it back there, or give its new place with --pack.",
                       hint_gui="copy it back there.", where=where)
    pack = read_pack(path)
    if pack.sha256 != info["pack_sha256"]:
        raise AppError("this is not the station pack this station was set up from (its SHA-256 "
                       "differs); give that pack.", where=path)
    return pack


# ---- verification and merge (officer's laptop) ------------------------------------------------------


class Refused(Exception):
    """One reason a batch file is refused (a sentence without the file name)."""


def _read(path: str | Path) -> bytes:
    try:
        return read_named_file(path, batchfile.MAX_BATCH_FILE, "a batch file",
                               too_large="the file is far too large to be a batch file.")
    except FileRefused as exc:
        raise Refused(str(exc).rstrip(".")) from None


def _merged_entries(bf: BatchFile, label: str) -> list[dict[str, Any]]:
    return [{"kind": e["kind"], "actor": e["actor"], "batch": label, "at": e["at"], "data": e["data"]}
            for e in bf.entries]


def _check_entries(session: Session, bf: BatchFile, label: str) -> Batch:
    """Each entry must be one a teller could have made here; the batch must be agreed."""
    contest = session.contest
    n_cand = len(contest.candidates)
    replay = Replay()
    for e in bf.entries:
        kind, d = e["kind"], e["data"]
        bad = Refused(f"entry {e['n']} ({kind.replace('_', ' ')}) is not a valid entry for this contest")
        if kind not in ENTRY_KINDS:
            raise bad
        try:
            if kind in (ev.PAPER_ENTERED, ev.PAPER_CORRECTED) or (kind == ev.MISMATCH_RESOLVED and "counts" not in d):
                if not isinstance(d.get("paper"), int) or isinstance(d["paper"], bool) or d["paper"] < 1:
                    raise bad
                marks = d.get("marks")
                if marks is not None or kind != ev.MISMATCH_RESOLVED:
                    if not isinstance(marks, list) or not all(type(m) is int for m in marks):
                        raise bad
                    if list(check_marks(session.contest, marks)) != marks:
                        raise bad
            if kind in (ev.BUNDLE_TOTAL, ev.MISMATCH_RESOLVED) and "counts" in d:
                counts, papers = d.get("counts"), d.get("papers")
                if not isinstance(counts, list) or len(counts) != n_cand or \
                        not all(type(c) is int and c >= 0 for c in counts) or \
                        not (papers is None or (type(papers) is int and papers >= 0)):
                    raise bad
            if d.get("side", FIRST) not in (FIRST, SECOND):
                raise bad
            if kind == ev.REJECTION_WITHDRAWN:
                # only a paper's rejection travels in a batch file; event numbers mean nothing in another journal
                if not isinstance(d.get("paper"), int) or isinstance(d["paper"], bool) or d["paper"] < 1 \
                        or not str(d.get("reason", "")).strip():
                    raise bad
            if kind == ev.BATCH_SINGLE_ENTRY and not str(d.get("reason", "")).strip():
                raise bad
            if kind == ev.PAPER_REJECTED:
                if d.get("heading") not in contest.rejection_headings or type(d.get("count", 1)) is not int \
                        or d.get("count", 1) < 1:
                    raise bad
            # the data is already parsed: apply it as replay applies a merged entry (no JSON round trip)
            replay.apply_entry(kind, d, e["actor"], label)
        except AppError:
            raise bad from None
        except (KeyError, TypeError, ValueError, ev.EventFormatError):
            raise bad from None
    b = replay.batches.get(label)
    if b is None:
        raise Refused("the batch file holds no papers")
    status = b.status()
    if not status.counts:
        raise Refused(f"batch {bf['batch']} is not agreed in the file ({status.state}); finish it at the station "
                      "and export it again")
    return b


def _verify(session: Session, reg: Registry, bf: BatchFile) -> tuple[str, list[int], Batch]:
    """All checks but 'already merged'; returns the main label, the claimed numbers and the batch."""
    if bf["contest_id"] != reg.contest_id:
        raise Refused(f"it is for another contest (id {bf['contest_id'][:16]}..., this contest is "
                      f"{reg.contest_id[:16]}...); merge it into its own contest")
    station = bf["station"]
    known = reg.stations.get(station)
    if known is None:
        raise Refused(f"it comes from station {station!r}, which is not registered for this contest; only "
                      "stations made with `opensel station-pack` can be merged")
    if bf["public_key"] != known["public_key"] or not batchfile.verify_signature(bf, known["public_key"]):
        raise Refused(f"its signature is not that of station {station} (it was changed after signing, or signed "
                      "by another key); export the batch again at the station")
    _check_pack(bf, known, contest_digest(session.contest))
    if bf["first_paper"] < 1 or not bf["batch"].strip() or len(bf["batch"]) > 500 or \
            any(ord(c) < 32 for c in bf["batch"]):
        raise Refused("its batch label or first paper number is not valid; export the batch again at the station")
    label = f"{station}/{bf['batch']}"
    b = _check_entries(session, bf, label)
    numbers = [bf["first_paper"] + n - 1 for n in _agreed_numbers(b)]
    if numbers != bf["paper_numbers"] or bf["papers"] != b.paper_count():
        raise Refused("its paper numbers do not match its papers; export the batch again at the station")
    all_issued = reg.issued()
    issued = all_issued.get((station, bf["batch"]))
    if issued is not None and numbers and (numbers[0] < issued.first or numbers[-1] > issued.last):
        raise Refused(f"batch {bf['batch']} was issued papers {issued.first}-{issued.last} but claims papers "
                      f"{numbers[0]}-{numbers[-1]}; check the batch at the station")
    for (other_station, other_label), other in sorted(all_issued.items()):
        if (other_station, other_label) != (station, bf["batch"]) and numbers and \
                numbers[0] <= other.last and other.first <= numbers[-1] and \
                any(other.first <= n <= other.last for n in numbers):
            raise Refused(f"it claims papers that were issued to batch {other_station}/{other_label} "
                          f"({other.first}-{other.last}); find which batch really holds them before merging")
    return label, numbers, b


def _check_pack(bf: BatchFile, known: dict[str, Any], contest_sha256: str) -> None:
    """The batch was keyed from the pack this journal issued to its station, on this very contest."""
    station = bf["station"]
    if bf.legacy:
        raise Refused("it was exported by an earlier OpenSel, whose batch files do not say which station pack "
                      f"they were keyed from; set station {station} up again from a new pack and export it again")
    if bf["pack_sha256"] != known.get("pack_sha256"):
        raise Refused(f"it was keyed from a station pack other than the one issued to station {station} (pack "
                      f"SHA-256 {bf['pack_sha256'][:16]}..., journaled {str(known.get('pack_sha256'))[:16]}...); "
                      "its votes cannot be trusted to mean the same candidates: key the batch again from the "
                      "pack this laptop wrote")
    if bf["contest_sha256"] != contest_sha256:
        raise Refused(f"station {station} keyed it on a contest that is not this one (its candidates or rules "
                      "differ); key the batch again from the pack this laptop wrote")


def _status(session: Session, reg: Registry, path: str | Path) -> tuple[BatchFileStatus, BatchFile | None,
                                                                         tuple[str, list[int], Batch] | None]:
    name = str(path)
    try:
        bf = batchfile.parse(_read(path))
    except (Refused, BatchFileError) as exc:
        return BatchFileStatus(name, REFUSED, f"{name}: {exc}; nothing was merged from it."), None, None
    station, batch = bf["station"], bf["batch"]
    base = {"station": station, "batch": batch, "papers": bf["papers"], "sha256": bf.sha256}
    if bf.sha256 in reg.merged and bf["contest_id"] == reg.contest_id:
        seq = reg.merged[bf.sha256][0]
        return BatchFileStatus(name, ALREADY, f"{name}: batch {batch} of station {station} is already merged "
                                              f"(event {seq}); nothing to do.", **base, event=seq), bf, None
    try:
        checked = _verify(session, reg, bf)
        if (station, batch) in reg.by_batch:
            seq = reg.merged[reg.by_batch[(station, batch)]][0]
            raise Refused(f"batch {batch} of station {station} is already merged from a different file (event "
                          f"{seq}); a batch is merged once")
        clash = sorted({reg.claims[n] for n in checked[1] if n in reg.claims})
        if clash:
            dup = [n for n in checked[1] if n in reg.claims]
            raise Refused(f"papers {dup[0]}-{dup[-1]} are already claimed by batch {clash[0]}; find which batch "
                          "really holds them before merging")
    except Refused as exc:
        return BatchFileStatus(name, REFUSED, f"{name}: {exc}; nothing was merged from it.", **base), bf, None
    return BatchFileStatus(name, READY, f"{name}: batch {batch} of station {station}, {bf['papers']} papers, "
                                        "verified; ready to merge.", **base), bf, checked


def inspect_batch_file(path: str | Path, session: Session | None = None) -> BatchFileStatus:
    """For the import dialog: what merging this file would do, without changing anything. Without a
    session only the file's own form and chain are checked."""
    if session is None:
        name = str(path)
        try:
            bf = batchfile.parse(_read(path))
        except (Refused, BatchFileError) as exc:
            return BatchFileStatus(name, REFUSED, f"{name}: {exc}.")
        return BatchFileStatus(name, UNCHECKED, f"{name}: batch {bf['batch']} of station {bf['station']}, "
                                            f"{bf['papers']} papers; open the meeting to verify its signature.",
                               bf["station"], bf["batch"], bf["papers"], bf.sha256)
    return _status(session, registry(session), path)[0]


def merge_batches(session: Session, paths: Sequence[str | Path], officer: str | None = None) \
        -> tuple[BatchFileStatus, ...]:
    """Verify and merge each file in turn (one journal event each); refusals and repeats change nothing.
    The outcome of every file is returned; nothing is raised for a refused file."""
    if session.readonly:
        raise AppError("opened read-only (auditor); nothing can be merged.", where=session.path)
    reg, seen = registry(session), session.chain.events
    out = []
    for path in paths:
        session.batches()  # catch up with another window or process writing to the same file
        if session.chain.events != seen:
            reg = registry(session)
        status, bf, checked = _status(session, reg, path)
        if status.status == READY and bf is not None and checked is not None:
            label, numbers, b = checked
            data = {"file_sha256": bf.sha256, "station": bf["station"], "batch": bf["batch"], "label": label,
                    "papers": b.paper_count(), "paper_numbers": numbers, "first_paper": bf["first_paper"],
                    "file": Path(path).name, "entries": _merged_entries(bf, label), "batch_file": bf.obj}
            message = (f"Batch {bf['batch']} of station {bf['station']} merged: {b.paper_count()} papers"
                       + (f" (papers {numbers[0]}-{numbers[-1]})" if numbers else "") + ".")
            changes = record_merge(session, data, message, officer=officer)
            seq = changes.events[-1]
            reg.add(seq, bf.sha256, bf["station"], bf["batch"], numbers, b.paper_count())
            seen = session.chain.events if session.chain.events == seq else -1  # -1: someone wrote in between
            status = BatchFileStatus(status.path, MERGED, message, bf["station"], bf["batch"], b.paper_count(),
                                     bf.sha256, seq)
        out.append(status)
    return tuple(out)


def audit_merges(events: Sequence[Event]) -> tuple[bool, str]:
    """Re-verify every merged batch from the journal alone: the cited file hash, its chain, the
    registered station's signature, the contest id, and that the entries replayed are the file's."""
    if not events:
        return True, "no batch files are merged."
    reg = Registry(events[0].hash)
    try:
        contest_sha256 = contest_digest(contest_from_data(events[0].data["contest"]))
    except (KeyError, TypeError, ValueError, AppError):
        return False, "event 1 (contest created) does not hold a contest that can be read."
    n = legacy = 0
    for e in events:
        if e.kind == ev.STATION_REGISTERED:
            reg.stations[e.data["station"]] = e.data
            continue
        if e.kind != ev.BATCH_MERGED:
            continue
        n += 1
        d = e.data
        try:
            text = canonical_json(d["batch_file"]).encode("utf-8")
            bf = batchfile.parse(text)
        except (KeyError, BatchFileError, ValueError) as exc:
            return False, f"event {e.seq} (batch merged) does not hold a valid batch file ({exc})."
        if bf.sha256 != d.get("file_sha256"):
            return False, f"event {e.seq} (batch merged) does not match the file hash it cites."
        known = reg.stations.get(bf["station"])
        if bf["contest_id"] != reg.contest_id or known is None or bf["station"] != d.get("station") \
                or not batchfile.verify_signature(bf, known["public_key"]):
            return False, (f"event {e.seq} (batch merged): the batch file is not signed by a station registered "
                           "earlier in this contest.")
        if bf.legacy:
            legacy += 1
        else:
            try:
                _check_pack(bf, known, contest_sha256)
            except Refused as exc:
                return False, f"event {e.seq} (batch merged): {exc}."
        if d.get("entries") != _merged_entries(bf, d.get("label", "")) or d.get("label") != \
                f"{bf['station']}/{bf['batch']}" or d.get("paper_numbers") != bf["paper_numbers"]:
            return False, f"event {e.seq} (batch merged) replays entries that are not the signed file's."
        if bf.sha256 in reg.merged or (bf["station"], bf["batch"]) in reg.by_batch:
            return False, f"event {e.seq} (batch merged) merges a batch a second time."
        dup = [p for p in bf["paper_numbers"] if p in reg.claims]
        if dup:
            return False, f"event {e.seq} (batch merged) claims paper {dup[0]}, already claimed by {reg.claims[dup[0]]}."
        reg.add(e.seq, bf.sha256, bf["station"], bf["batch"], bf["paper_numbers"], bf["papers"])
    if n == 0:
        return True, "no batch files are merged."
    older = (f" ({legacy} of them exported by an earlier OpenSel, before batch files cited their station "
             "pack)") if legacy else ""
    return True, (f"{n} merged batch file{'s' if n != 1 else ''} re-verified: signed by registered stations, "
                  f"keyed from the packs issued to them on this contest, chains intact, entries as signed, no "
                  f"paper claimed twice{older}.")


# ---- the journal events ------------------------------------------------------------------------------


def record_station(s: Session, data: dict[str, Any], officer: str | None = None) -> Changes:
    """Journal a teller station whose batch files may be merged (the checks are above)."""
    s.writable()
    body = ev.StationRegistered(data["station"], data["public_key"], list(data.get("batches", [])),
                                data.get("pack_sha256", ""), data.get("officer_certificate_sha256"),
                                data.get("officer_fingerprint", ""))
    return s.write(lambda _m: [Write(body, officer)], f"Station {body.station} registered.")


def record_merge(s: Session, data: dict[str, Any], message: str, officer: str | None = None) -> Changes:
    """Journal one verified batch file as ONE `batch_merged` event."""
    s.writable()
    body = ev.BatchMerged(data["label"], data["file_sha256"], data["station"], data["batch"], data["papers"],
                          tuple(data["paper_numbers"]), data["first_paper"], data["file"], data["entries"],
                          data["batch_file"])
    return s.write(lambda _m: [Write(body, officer)], message, batch=body.label)


# ---- files ------------------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()

