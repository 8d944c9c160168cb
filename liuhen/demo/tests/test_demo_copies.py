"""The demo's evidence copies (liuhen/demo/copies.py): a court copy of an archived case's footage —
requested, approved, made under LIUHEN_HOME/copies, handed over — that verifies offline, and a
request to the 检察院 awaiting approval."""
import pytest

from liuhen.copies import selectors
from liuhen.copies.models import CopyRequest
from liuhen.copies.package import package_dir
from liuhen.demo.builder import build_demo
from liuhen.testing.copies import check_offline, vkey_file


@pytest.mark.django_db
def test_the_demo_copies(fresh_home, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    summary = build_demo()
    assert summary["copies"] == 1 and summary["copy_requests_pending"] == 1
    done, pending = CopyRequest.objects.order_by("pk")
    assert done.case.is_archived and selectors.status(done) == "handed_over" and done.receiver_kind == "court"
    assert selectors.status(pending) == "pending" and pending.receiver_kind == "procuratorate"
    root = package_dir(done.package)
    assert root.is_relative_to(fresh_home / "copies")
    assert done.requested_at < done.approval.decided_at < done.package.made_at < done.package.handover.recorded_at
    run = check_offline(root, vkey_file(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
