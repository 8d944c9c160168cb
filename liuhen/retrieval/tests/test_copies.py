"""Copies (复制件、查阅件) and classes (公开属性): the archivist makes an approved outsider's or party's copy —
each item's PDF with a visible watermark on every page (requester, purpose, time, slip), listed with both
SHA-256; each download a read event, refused after the expiry; a staff member's PDF through the grant is
watermarked too. State-secret material is never stored: its place is recorded."""
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.archive.classes import classes_for
from liuhen.archive.contents import record_pdf
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.media import store
from liuhen.retrieval import selectors as s
from liuhen.retrieval import services
from liuhen.retrieval import vocabulary as v
from liuhen.retrieval.models import Classification, Copy, CopyItem, SecretNote
from liuhen.testing.cases import to_archived
from liuhen.testing.retrieval import approve, archivist, later, outsider_slip, page_texts, staff_slip

pytestmark = pytest.mark.django_db


def _blob(sha) -> bytes:
    with store.open_blob(sha) as f:
        return f.read()


def _codes(act):
    events = [event_of(e) for e in Entry.objects.filter(action=v.REFUSED).order_by("id")]
    return [e["detail"]["codes"] for e in events if e["detail"]["act"] == act]


def test_the_approved_copy_is_watermarked_on_every_page_and_listed(world, tmp_path):
    case = to_archived(world)
    items = s.file_items(case)
    wanted = [items[0].record.pk, items[-1].record.pk]
    req = outsider_slip(world, case, record_ids=wanted)
    keeper = archivist(world)
    with pytest.raises(ValidationError, match="尚未审批"):
        services.make_copy(keeper, req)
    assert _codes("copy")[-1] == ["not_approved"] and not Copy.objects.exists()
    approve(world, req)
    copy = services.make_copy(keeper, req)
    sheet, *rows = copy.items.order_by("id")
    assert sheet.is_cover and [r.record_id for r in rows] == wanted
    for row in rows:
        data = _blob(row.blob_id)
        assert hashlib.sha256(data).hexdigest() == row.blob_id
        st = next(x for x in items if x.record.pk == row.record_id)
        source = record_pdf(st)
        assert hashlib.sha256(source).hexdigest() == row.source_sha256 and data.startswith(source)
        pages = page_texts(data, tmp_path)
        assert pages
        for text in pages:  # every page, not the first only
            assert f"调用单 {req.number}" in text and "周律师" in text and "用途：行政诉讼应诉材料核对" in text
            assert f"时间：{timezone.localtime():%Y-%m-%d}" in text
        event = event_of(Entry.objects.get(action=v.COPY, object_type=CopyItem.ledger_object_type,
                                           object_id=str(row.pk)))
        assert event["blobs"] == [row.blob_id] and event["detail"]["source_sha256"] == row.source_sha256
    with pytest.raises(ValidationError, match="已制作"):
        services.make_copy(keeper, req)
    assert Copy.objects.count() == 1


def test_each_download_is_a_read_event_and_none_after_the_expiry(world, monkeypatch):
    case = to_archived(world)
    req = outsider_slip(world, case, kind="party", days=2)
    approve(world, req)
    keeper = archivist(world)
    item = services.make_copy(keeper, req).items.first()
    with pytest.raises(PermissionDenied):
        services.copy_download(world.officer, item)
    assert services.copy_download(keeper, item) == item.blob_id
    got = Entry.objects.filter(action=v.DOWNLOAD)
    assert got.count() == 1 and event_of(got.get())["blobs"] == [item.blob_id]
    later(monkeypatch, days=2, minutes=1)
    with pytest.raises(ValidationError, match="已于 .* 过期"):
        services.copy_download(keeper, item)
    assert _codes("download")[-1] == ["expired"] and got.count() == 1


def test_no_copy_after_the_expiry_nor_for_a_refused_slip(world, monkeypatch):
    case = to_archived(world)
    keeper = archivist(world)
    refused = outsider_slip(world, case)
    services.decide(world.agency_head, refused, approved=False, reason="介绍信不符")
    with pytest.raises(ValidationError, match="未获批准"):
        services.make_copy(keeper, refused)
    late = outsider_slip(world, case, days=1)
    approve(world, late)
    later(monkeypatch, days=1, seconds=1)
    with pytest.raises(ValidationError, match="过期"):
        services.make_copy(keeper, late)
    assert not Copy.objects.exists() and _codes("copy") == [["refused"], ["expired"]]


def test_a_class_set_after_approval_still_keeps_it_out_of_the_copy(world):
    case = to_archived(world)
    req = outsider_slip(world, case, kind="party")
    approve(world, req)
    first = s.file_items(case)[0].record
    services.classify(archivist(world), case, first.pk, "privacy")
    with pytest.raises(ValidationError, match=first.record_type.name):
        services.make_copy(archivist(world), req)
    assert not Copy.objects.exists()


def test_a_staff_members_pdf_through_the_grant_is_watermarked(world, tmp_path, monkeypatch):
    case = to_archived(world)
    first = s.file_items(case)[0].record
    req = staff_slip(world, case, record_ids=[first.pk], purpose="复查类似案件")
    with pytest.raises(ValidationError, match="尚未审批"):
        services.granted_pdf(world.officer, req, first.pk)
    approve(world, req)
    name, data = services.granted_pdf(world.officer, req, first.pk)
    assert name.endswith("查阅件.pdf")
    for text in page_texts(data, tmp_path):
        assert "调阅人：张明" in text and "用途：复查类似案件" in text
    event = event_of(Entry.objects.get(action=v.DOWNLOAD))
    assert event["detail"]["copy_sha256"] == hashlib.sha256(data).hexdigest()
    other = s.file_items(case)[1].record
    with pytest.raises(ValidationError, match="不在调用单的调阅范围"):
        services.granted_pdf(world.officer, req, other.pk)
    with pytest.raises(PermissionDenied):
        services.granted_pdf(world.officer2, req, first.pk)
    later(monkeypatch, days=8)
    with pytest.raises(ValidationError, match="过期"):
        services.granted_pdf(world.officer, req, first.pk)
    assert Entry.objects.filter(action=v.DOWNLOAD).count() == 1


def test_the_archivists_classes_fill_the_archive_registry(world):
    case = to_archived(world)
    keeper = archivist(world)
    record = s.file_items(case)[0].record
    assert classes_for(case) == ("internal", {})
    services.classify(keeper, case, record.pk, "public")
    services.classify(keeper, case, record.pk, "trade_secret")
    assert classes_for(case) == ("internal", {record.pk: "trade_secret"})
    assert Classification.objects.count() == 2  # appended, the latest wins
    with pytest.raises(PermissionDenied):
        services.classify(world.officer, case, record.pk, "public")
    with pytest.raises(ValidationError, match="国家秘密"):
        services.classify(keeper, case, record.pk, "国家秘密")
    with pytest.raises(ValidationError, match="公开属性应为"):
        services.classify(keeper, case, record.pk, "top")
    assert Classification.objects.count() == 2
    assert [c[0] for c in _codes("classify")] == ["PermissionDenied", "state_secret", "class"]


def test_state_secret_material_is_not_stored_only_where_it_is_kept(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = to_archived(world)
    keeper = archivist(world)
    with pytest.raises(ValidationError, match="不得上传"):
        services.record_secret(keeper, case, title="涉密会议纪要", kept_at="机要室 3 号柜",
                               upload=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 secret"))
    assert not SecretNote.objects.exists()
    note = services.record_secret(keeper, case, title="涉密会议纪要", kept_at="机要室 3 号柜")
    assert note.kept_at == "机要室 3 号柜" and Entry.objects.filter(action=v.SECRET).count() == 1
