"""The ledger tests' worlds and the attacker's tools: a small case integrated and verifying clean
(the `scene`), a case to export, the offline verifier run as an auditor runs it, and what a
database superuser does to the tree after changing leaves."""
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from django.db import connection

from liuhen.cases import services as cases
from liuhen.cases.validators import id_check_char
from liuhen.ledger import storage
from liuhen.ledger.core import tree
from liuhen.ledger.models import Entry, LogState, Sequenced, Tile
from liuhen.ledger.verify import verify_log
from liuhen.records import services
from liuhen.records.models import RecordType, RecordVersion
from liuhen.testing.data import INSPECTION

REPO = Path(__file__).resolve().parents[2]
PHOTO = b"\xff\xd8\xff\xe0 JPEG bytes of the scene " * 40


def party_id():
    first17 = "11010519491231002"
    return first17 + id_check_char(first17)


def build_scene(world, django_capture_on_commit_callbacks):
    """The world of a small case, integrated, signed, published and verifying clean: what the
    ledger's tamper tests start from (the `scene` fixture of liuhen/ledger/tests/conftest.py)."""
    rtype = RecordType.objects.get(code="inspection_record")
    case = world.open_case()
    party = cases.add_party(world.officer, case, kind="person", name="王某", id_number=party_id(),
                            phone="13800138000", address="某村三号")
    case = world.to_investigation(case)
    record = services.create_record(world.officer, case, rtype, dict(INSPECTION))
    services.revise_record(world.officer, record, {**INSPECTION, "present": "村委会主任、村民李某"}, "补记在场人员")
    attachment = services.attach(world.officer, record, io.BytesIO(PHOTO), "现场照片.jpg", "image/jpeg")
    officer_sig = services.sign_as_officer(world.officer, record)
    party_sig = services.record_other_signature(world.officer2, record, role="party", signer_name="王某")
    spare = services.create_record(world.officer, case, rtype, dict(INSPECTION))
    services.void_record(world.officer, spare, "重复制作")
    services.log_view(world.officer, record)
    with django_capture_on_commit_callbacks(execute=True):
        storage.integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert report.size == Entry.objects.count() == Sequenced.objects.count() > 20
    assert report.checkpoints >= 1

    return LedgerScene(
        world=world, case=case, party=party, record=record, attachment=attachment, spare=spare,
        officer_sig=officer_sig, party_sig=party_sig,
        v1=RecordVersion.objects.get(record=record, number=1), v2=RecordVersion.objects.get(record=record, number=2),
    )


class LedgerScene(SimpleNamespace):
    """What `build_scene` made (picklable: built once per run, liuhen.testing.demo.scene_snapshot)."""

    def entry(self, action, object_type="record", object_id=None, **kw):
        """The one entry of `action` about `object_id` (default: the scene's inspection record)."""
        object_id = self.record.pk if object_id is None else object_id
        return Entry.objects.get(action=action, object_type=object_type, object_id=str(object_id), **kw)


def ledger_scene(where=None):
    """`build_scene` on a world of its own: the snapshot builder of the ledger tests' `scene`."""
    from django.test import TestCase

    from liuhen.testing.world import World

    return build_scene(World(), TestCase.captureOnCommitCallbacks)


def small_case(world):
    """A case in 调查取证 with one inspection record: two versions, a photo, a signature and a read."""
    case = world.open_case()
    first17 = "11010519491231002"
    cases.add_party(world.officer, case, kind="person", name="王某", id_number=first17 + id_check_char(first17))
    case = world.to_investigation(case)
    record = services.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"),
                                   dict(INSPECTION))
    services.revise_record(world.officer, record, {**INSPECTION, "present": "村委会主任、村民李某"}, "补记在场人员")
    services.attach(world.officer, record, io.BytesIO(b"photo of the pump " * 100), "现场照片.jpg")
    services.sign_as_officer(world.officer, record)
    services.log_view(world.officer, record)
    return record


def run_bundle_verifier(path, *extra):
    """The offline bundle verifier in a fresh Python with no Django settings in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "LIUHEN", "DATABASE"))}
    return subprocess.run([sys.executable, "-m", "liuhen.ledger.core.bundle", str(path), *extra],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=60)


# ---- the attacker's tools ----------------------------------------------------------------------

def rebuild_tree_from_rows() -> None:
    """What a thorough attacker does after changing leaves: recompute every tile, the right edge
    and the root from the rows as they now are (all of it derived data, none of it signed)."""
    hashes = [bytes.fromhex(h) for h in Sequenced.objects.order_by("seq").values_list("entry__leaf_hash", flat=True)]
    Tile.objects.all().delete()
    storage._append_to_tiles(0, hashes, "sha256")
    edge = tree.CompactRange("sha256")
    edge.extend(hashes)
    LogState.objects.filter(pk=1).update(size=len(hashes), edge=b"".join(edge.hashes), root_hash=edge.root().hex())


def json_param():
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


def seq_of(entry) -> int:
    return Sequenced.objects.get(entry_id=entry.pk).seq


def sign_entry(digest) -> Entry:
    """The 'record.sign' entry that carries this signature digest."""
    [entry] = [e for e in Entry.objects.filter(action="record.sign")
               if json.loads(bytes(e.leaf))["detail"]["digest"] == digest]
    return entry


def findings_of(report, kind, obj=None, entry_id=None):
    """The findings of this kind (and object, and entry) — at least one must exist. (For exactly
    one, pointing at its entry and leaf index: liuhen.testing.tampering.found.)"""
    out = [f for f in report.findings if f.kind == kind and (obj is None or f.object == obj)
           and (entry_id is None or f.entry_id == entry_id)]
    assert out, f"no [{kind}] finding for {obj or entry_id}; findings: {[str(f) for f in report.findings]}"
    return out


def only_kinds(report) -> set:
    return {f.kind for f in report.findings}


def flip_time_digit(leaf: bytes) -> bytes:
    """One byte of the leaf changed where it keeps valid JSON: a digit of the event's time."""
    i = leaf.index(b'"time":"') + len(b'"time":"') + 3  # the year's last digit
    changed = bytearray(leaf)
    changed[i] = ord("0") + (changed[i] - ord("0") + 1) % 10
    return bytes(changed)
