"""The offline bundle (issue 12 §5): the checker refuses leaves no signed checkpoint covers, and
`liuhen export_bundle` names a missing file and goes on, exits non-zero at the end, and tells the
auditor to bring the verifier key from their own copy."""
import base64
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.ledger.core import bundle
from liuhen.ledger.core.canonical import canonical_bytes
from liuhen.ledger.exports import export_bundle
from liuhen.media import store
from liuhen.records import services as records
from liuhen.records.models import RecordType
from liuhen.testing.data import INSPECTION

pytestmark = pytest.mark.usefixtures("fresh_home")


def _record_with_two_files(world):
    case = world.to_investigation(world.open_case())
    record = records.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"),
                                   dict(INSPECTION))
    a = records.attach(world.officer, record, io.BytesIO(b"first photo " * 50), "一.jpg")
    b = records.attach(world.officer, record, io.BytesIO(b"second photo " * 50), "二.jpg")
    return a, b


def test_leaves_no_checkpoint_covers_are_refused(world, tmp_path):
    path = tmp_path / "bundle"
    export_bundle(path)
    assert bundle.verify_bundle(path) == []
    lines = (path / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    # Whoever holds the bundle appends a well-formed leaf of their own: no checkpoint signs it.
    event = json.loads(base64.b64decode(json.loads(lines[-1])["leaf"]))
    event["detail"] = {"added": "after the fact"}
    extra = {"seq": len(lines), "leaf": base64.b64encode(canonical_bytes(event)).decode("ascii")}
    with open(path / "entries.jsonl", "a", encoding="utf-8") as out:
        out.write(json.dumps(extra) + "\n")
    problems = bundle.verify_bundle(path)
    assert problems == [f"leaves {len(lines)}–{len(lines)} are not covered by any signed checkpoint: "
                        "refused (they could have been added by anyone)"], problems


def test_export_names_a_missing_file_and_goes_on(world, tmp_path):
    a, b = _record_with_two_files(world)
    store.path_for(a.blob_id).chmod(0o600)
    store.path_for(a.blob_id).unlink()  # gone from the store
    path = tmp_path / "bundle"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="不完整"):
        call_command("export_bundle", str(path), stdout=out, stderr=err)
    assert f"blobs/{a.blob_id}" in err.getvalue()
    # everything else was written
    assert (path / "blobs" / b.blob_id).exists() and (path / "manifest.json").exists()
    assert (path / "entries.jsonl").read_text().strip() and list((path / "content").iterdir())
    assert "--vkey" in out.getvalue() and "不要用证据包里的 log.vkey" in out.getvalue()
    # and the offline checker names the same file as missing
    assert any(p.startswith(f"blobs/{a.blob_id}: missing") for p in bundle.verify_bundle(path))


def test_export_output_asks_for_the_auditors_own_key(world, tmp_path):
    out = io.StringIO()
    call_command("export_bundle", str(tmp_path / "b"), stdout=out)
    assert "--vkey <审计方自己保存的公钥文件>" in out.getvalue()
