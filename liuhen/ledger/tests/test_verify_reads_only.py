"""`liuhen verify` and proof requests only read (issue 12 §5): they neither sequence nor sign, and
verify reads the published checkpoint before its snapshot, so that a checkpoint the integrator
publishes meanwhile is never taken for a truncation."""
import io
import json
import sys

import pytest
from django.core.management import call_command
from django.db import transaction

from liuhen.ledger import services as ledger
from liuhen.ledger import storage
from liuhen.ledger.models import Checkpoint, Pending, Sequenced
from liuhen.ledger.verify import verify_log

pytestmark = pytest.mark.usefixtures("fresh_home")


def _append(n, start=0):
    with transaction.atomic():
        return [ledger.append("test.write", object_type="test", object_id=start + i) for i in range(n)]


def test_verify_neither_sequences_nor_signs(verified_world):
    sequenced, checkpoints = Sequenced.objects.count(), Checkpoint.objects.count()
    _append(3)
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    assert (Sequenced.objects.count(), Checkpoint.objects.count()) == (sequenced, checkpoints)
    assert report.pending == Pending.objects.count() == 3  # reported, not a finding


def test_verify_command_reports_pending_entries_as_text(verified_world):
    _append(2)
    out = io.StringIO()
    call_command("verify", stdout=out)
    assert "另有 2 个条目尚待并入树" in out.getvalue() and "通过" in out.getvalue()
    assert Pending.objects.count() == 3  # the two, and the run's own record (ledger.verified)
    call_command("verify", "--integrate-first", stdout=io.StringIO())  # the explicit option
    assert list(Pending.objects.values_list("entry__action", flat=True)) == ["ledger.verified"]


def test_a_proof_request_does_not_force_a_checkpoint(verified_world):
    [covered] = _append(1)
    storage.integrate_all()
    [queued] = _append(1, start=1)
    checkpoints = Checkpoint.objects.count()
    result = ledger.prove([covered.pk, queued.pk])
    assert Checkpoint.objects.count() == checkpoints and Pending.objects.filter(entry_id=queued.pk).exists()
    ok, waiting = result["proofs"]
    assert ok["ok"] and not ok["pending"]
    assert not waiting["ok"] and waiting["pending"] and waiting["error"] == "尚未并入已签名的树"
    # Integrated since but not yet signed: still not under the signed tree.
    storage.integrate(sign=False)
    [waiting] = ledger.prove([queued.pk])["proofs"]
    assert waiting["seq"] is not None and waiting["error"] == "尚未并入已签名的树"


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_published_during_verify_is_no_truncation(child_env):  # noqa: F811
    """Under load, verify reported a false truncation when the published checkpoint, read after its
    snapshot, was newer than it. A second thread publishes right after the snapshot's first read."""
    r = child_env.run(sys.executable, "-m", "liuhen.ledger.tests.ledger_writer", "verify-racing-publish")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == []
