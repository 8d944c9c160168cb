"""签发 (services.issue_document): only a complete record, once per version, everything in one
transaction — the 文号, the sealed PDF and its PDF/A archive copy in the store, the row, the event
carrying both SHA-256; each refusal in the ledger."""
import hashlib
import json
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.documents import services, vocabulary as v
from liuhen.documents.models import DocumentNumber, IssuedDocument
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.documents_seal import complete_record, incomplete_record, pdf_text, pdfsig


def _events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def test_a_complete_record_is_issued_numbered_sealed_and_stored(world, tmp_path, settings):
    settings.LIUHEN_PUBLIC_URL = "https://zf.example.gov.cn"
    record = complete_record(world)
    doc = services.issue_document(world.officer, record)
    assert doc.number.text == f"{world.agency.short_name}询问笔录〔{doc.number.year}〕1号"
    assert doc.number.record_id == record.pk and doc.record_version == 1 and doc.kind == "inquiry_record"
    assert len(doc.token) >= 10 and doc.status == "valid"
    pdf = store.open_blob(doc.pdf_sha256).read()
    assert hashlib.sha256(pdf).hexdigest() == doc.pdf_sha256
    path = tmp_path / "issued.pdf"
    path.write_bytes(pdf)
    assert doc.number.text in pdf_text(path)
    assert "Signature is Valid" in pdfsig(path)
    archive = tmp_path / "archive.pdf"
    archive.write_bytes(store.open_blob(doc.archive_sha256).read())
    assert "Signature is Valid" in pdfsig(archive)
    meta = subprocess.run(["pdfinfo", "-meta", str(archive)], capture_output=True, text=True, check=True).stdout
    assert 'pdfaid:part="3"' in meta  # WeasyPrint's PDF/A-3b metadata, kept under the seal
    [event] = _events(v.ISSUE)
    assert event["detail"]["pdf_sha256"] == doc.pdf_sha256 and event["detail"]["text"] == doc.number.text
    assert sorted(event["blobs"]) == sorted([doc.pdf_sha256, doc.archive_sha256])
    assert event["content_sha256"] == doc.ledger_digest()
    [number_event] = _events(v.NUMBER)
    assert number_event["detail"]["n"] == 1


def test_the_verification_link_is_the_public_url_and_the_token(world, settings, monkeypatch):
    from liuhen.documents import render

    seen = {}
    original = render.render_pdf

    def spy(record, **kw):
        seen.update(kw)
        return original(record, **kw)

    monkeypatch.setattr(render, "render_pdf", spy)  # the other engineer's renderer, observed only
    settings.LIUHEN_PUBLIC_URL = "https://zf.example.gov.cn/"
    doc = services.issue_document(world.officer, complete_record(world))
    assert seen["verify_url"] == f"https://zf.example.gov.cn/v/{doc.token}"
    assert seen["number"] == doc.number.text


def test_an_incomplete_record_is_refused_and_the_refusal_recorded(world):
    record = incomplete_record(world)
    with pytest.raises(ValidationError) as exc:
        services.issue_document(world.officer, record)
    assert "记录尚不完整" in exc.value.messages[0] and "当事人签字" in exc.value.messages[0]
    assert not DocumentNumber.objects.exists() and not IssuedDocument.objects.exists()
    [refused] = _events(v.REFUSED)
    assert refused["detail"] == {"act": "issue", "codes": ["incomplete"]}
    assert refused["object"]["id"] == str(record.pk)


def test_issuing_twice_is_refused(world):
    record = complete_record(world)
    doc = services.issue_document(world.officer, record)
    with pytest.raises(ValidationError) as exc:
        services.issue_document(world.officer, record)
    assert "不能重复签发" in exc.value.messages[0] and doc.number.text in exc.value.messages[0]
    assert IssuedDocument.objects.count() == 1 and DocumentNumber.objects.count() == 1
    assert [e["detail"]["codes"] for e in _events(v.REFUSED)] == [["already_issued"]]


def test_someone_outside_the_case_may_not_issue(world):
    record = complete_record(world)
    for person in (world.outsider, world.reviewer, world.sysadmin):  # another unit's officer; not a leader
        with pytest.raises(PermissionDenied):
            services.issue_document(person, record)
    assert not IssuedDocument.objects.exists()
    assert [e["detail"]["codes"] for e in _events(v.REFUSED)] == [["PermissionDenied"]] * 3
    assert services.issue_document(world.unit_head, record).issued_by_id == world.unit_head.pk


def test_a_failure_while_sealing_leaves_nothing(fresh_home, world, settings, tmp_path):
    """The seal's key unreadable: the issue fails — no number used, no row, no blob row, no event;
    the next issue takes number 1.
    In a home of its own: the seal key it breaks is no other test's (pytest-xdist workers share one)."""
    from liuhen.documents import seal

    record = complete_record(world)
    seal.ensure_certificate(world.agency)
    key = seal._paths(world.agency.pk)[0]
    good = key.read_bytes()
    key.write_bytes(b"not a key")
    blobs = Blob.objects.count()
    with pytest.raises(Exception):
        services.issue_document(world.officer, record)
    assert not DocumentNumber.objects.exists() and not IssuedDocument.objects.exists()
    assert Blob.objects.count() == blobs and not _events(v.ISSUE) and not _events(v.NUMBER)
    key.write_bytes(good)
    doc = services.issue_document(world.officer, record)
    assert doc.number.n == 1


@pytest.mark.parametrize("value, ok", [("", True), ("https://zf.example.gov.cn", True), ("http://10.0.0.5:8000/", True),
                                       ("zf.example.gov.cn", False), ("ftp://x.cn", False),
                                       ("https://zf.example.gov.cn/?a=1", False)])
def test_the_public_url_setting_is_checked_at_start(settings, value, ok):
    from liuhen.documents.apps import public_url_check

    settings.LIUHEN_PUBLIC_URL = value
    errors = public_url_check()
    assert (errors == []) is ok
    if not ok:
        assert errors[0].id == v.CHECK_PUBLIC_URL and "LIUHEN_PUBLIC_URL" in errors[0].msg
