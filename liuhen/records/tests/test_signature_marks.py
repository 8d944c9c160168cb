"""签名笔迹: a party's or witness's handwritten signature — drawn on a pad or photographed on paper —
stored with its hash as part of the signature (digest scheme 5) and checked by `liuhen verify`."""
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.records import marks, services
from liuhen.records.ledger_checks import signature_digest
from liuhen.records.models import MarkKind, Signature, SignerRole
from liuhen.testing.marks import blank_png, canvas_png, paper_jpeg
from liuhen.testing.records import INSPECTION, PARTY, investigating, rtype
from liuhen.testing.tampering import drop_append_only, found, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def record(world):
    case = investigating(world)
    rec = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    services.sign_as_officer(world.officer, rec)
    return rec


def sign(world, record, mark, kind, **kw):
    return services.record_other_signature(world.officer, record, role=kw.pop("role", SignerRole.PARTY),
                                           signer_name=kw.pop("signer_name", PARTY), mark=mark, mark_kind=kind, **kw)


def sign_event(sig):
    [e] = [event_of(e) for e in Entry.objects.filter(action="record.sign", object_id=str(sig.record_id))
           if event_of(e)["detail"]["signature"] == sig.pk]
    return e


def test_a_drawn_mark_is_kept_as_sent_and_bound_by_scheme_5(world, record):
    png = canvas_png()
    sig = sign(world, record, png, MarkKind.CANVAS)
    sha = hashlib.sha256(png).hexdigest()
    assert (sig.mark_id, sig.mark_kind) == (sha, "canvas")
    with store.open_blob(sha) as f:
        assert f.read() == png  # the bytes received, not a re-encoding
    e = sign_event(sig)
    assert e["blobs"] == [sha]
    assert e["detail"]["mark_sha256"] == sha and e["detail"]["mark_kind"] == "canvas"
    assert e["detail"]["scheme"] == 5
    assert signature_digest(sig, [], 5) == sig.digest
    assert verify_log().ok


def test_a_photo_of_the_paper_is_a_mark_too(world, record):
    jpg = paper_jpeg()
    sig = sign(world, record, jpg, MarkKind.PHOTO, role=SignerRole.WITNESS, signer_name="李四")
    assert sig.mark_kind == "photo" and sig.mark.size == len(jpg)
    assert verify_log().ok


def test_a_signature_without_a_mark_still_signs(world, record):
    sig = services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY)
    assert sig.mark_id is None and sig.mark_kind == ""
    e = sign_event(sig)
    assert e["blobs"] == [] and "mark_sha256" not in e["detail"]
    assert verify_log().ok


@pytest.mark.parametrize("data, kind, message", [
    (blank_png(), MarkKind.CANVAS, "签名为空，请重新签写"),
    (blank_png(colour=(0, 0, 0)), MarkKind.CANVAS, "签名为空"),
    (b"%PDF-1.4 not an image" * 20, MarkKind.PHOTO, "无法识别"),
    (b"GIF89a" + bytes(200), MarkKind.PHOTO, "无法识别"),
    (canvas_png()[:-40], MarkKind.CANVAS, "无法识别"),  # truncated: the pixels do not decode
    (canvas_png(size=(20, 10), strokes=((0, 0, 19, 9),)), MarkKind.CANVAS, "尺寸不合理"),
    (canvas_png(), "sketch", "签名笔迹类型无效"),
    (b"", MarkKind.CANVAS, "签名图片为空"),
])
def test_a_bad_mark_is_refused_and_nothing_is_stored(world, record, data, kind, message):
    blobs, sigs = Blob.objects.count(), Signature.objects.count()
    with pytest.raises(ValidationError, match=message):
        sign(world, record, data, kind)
    assert (Blob.objects.count(), Signature.objects.count()) == (blobs, sigs)
    if data:
        assert not store.exists(hashlib.sha256(data).hexdigest())


def test_a_gif_is_refused_by_its_bytes(world, record):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (100, 60), (255, 255, 255)).save(buf, format="GIF")
    with pytest.raises(ValidationError, match="PNG 或 JPEG"):
        sign(world, record, buf.getvalue(), MarkKind.PHOTO)


def test_a_too_big_mark_is_refused(world, record, monkeypatch):
    monkeypatch.setattr(marks, "MAX_MARK_BYTES", 1000)  # a limit a test can reach without 8 MB of bytes
    data = paper_jpeg()
    assert len(data) > 1000
    with pytest.raises(ValidationError, match="签名图片不能超过"):
        sign(world, record, data, MarkKind.PHOTO)
    assert not Signature.objects.filter(role=SignerRole.PARTY).exists()
    assert not store.exists(hashlib.sha256(data).hexdigest())


def test_the_real_limit_is_eight_megabytes():
    assert marks.MAX_MARK_BYTES == 8 * 1024 * 1024
    with pytest.raises(ValidationError, match="不能超过8MB"):
        marks.check_mark(b"\x89PNG" + bytes(marks.MAX_MARK_BYTES), MarkKind.PHOTO)


def test_a_mark_on_a_refusal_is_refused(world, record):
    with pytest.raises(ValidationError, match="拒绝签字的记录不能附签名笔迹"):
        sign(world, record, canvas_png(), MarkKind.CANVAS, refused=True, reason="不同意笔录内容")
    assert not Signature.objects.filter(role=SignerRole.PARTY).exists()
    assert not store.exists(hashlib.sha256(canvas_png()).hexdigest())


def test_a_kind_without_an_image_is_refused(world, record):
    with pytest.raises(ValidationError, match="请签写签名或拍摄纸质签字照片"):
        sign(world, record, None, MarkKind.CANVAS)
    assert not Signature.objects.filter(role=SignerRole.PARTY).exists()


def test_data_url_decoding():
    png = canvas_png()
    import base64

    assert marks.decode_data_url("data:image/png;base64," + base64.b64encode(png).decode()) == png
    for bad in ("", "data:text/plain;base64,aGk=", "data:image/png;base64,@@@@", "javascript:alert(1)"):
        with pytest.raises(ValidationError, match="签名数据无法识别"):
            marks.decode_data_url(bad)


# ---- liuhen verify -------------------------------------------------------------------------------


def test_verify_reports_a_mark_changed_in_the_row(world, record):
    sig = sign(world, record, canvas_png(), MarkKind.CANVAS)
    other = store.put(io.BytesIO(paper_jpeg()))  # bytes that exist in the store, swapped in by SQL
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET mark_id = %s WHERE id = %s", [other.sha256, sig.pk])
    report = verify_log()
    f = found(report, "altered", f"record:{record.pk} signature:{sig.pk}")
    assert f.code == "records.E016"


def test_verify_reports_a_mark_kind_changed_or_removed(world, record):
    sig = sign(world, record, paper_jpeg(), MarkKind.PHOTO)
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET mark_kind = 'canvas' WHERE id = %s", [sig.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E016"
    sql("UPDATE records_signature SET mark_id = NULL, mark_kind = '' WHERE id = %s", [sig.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E016"


def test_verify_reports_a_mark_written_into_an_unmarked_signature(world, record):
    """A mark slipped into a signature that had none: its digest (and event) know of no mark."""
    sig = services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY)
    blob = store.put(io.BytesIO(canvas_png()))
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET mark_id = %s, mark_kind = 'canvas' WHERE id = %s", [blob.sha256, sig.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E016"


def test_verify_reports_the_marks_bytes_changed(world, record, settings):
    sig = sign(world, record, canvas_png(), MarkKind.CANVAS)
    path = store.path_for(sig.mark_id)
    path.chmod(0o644)
    path.write_bytes(canvas_png(strokes=((10, 10, 200, 100),)))
    report = verify_log()
    assert found(report, "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E034"


def test_mark_view_is_logged_and_limited_to_who_sees_the_record(client, world, record):
    sig = sign(world, record, canvas_png(), MarkKind.CANVAS)
    client.force_login(world.officer)
    url = reverse("records:signature_mark", args=[sig.pk])
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content) == canvas_png()
    reads = [event_of(e) for e in Entry.objects.filter(action="record.mark_view", object_id=str(record.pk))]
    assert [(e["blobs"], e["detail"]["signature"]) for e in reads] == [([sig.mark_id], sig.pk)]
    client.force_login(world.outsider)
    assert client.get(url).status_code == 404
    assert Entry.objects.filter(action="access.denied").exists()
    unmarked = services.record_other_signature(world.officer, record, role=SignerRole.WITNESS, signer_name="李四")
    client.force_login(world.officer)
    assert client.get(reverse("records:signature_mark", args=[unmarked.pk])).status_code == 404


# ---- the record page's form ------------------------------------------------------------------------


def post_signature(client, record, **data):
    return client.post(reverse("records:other_signature", args=[record.pk]),
                       {"role": "party", "signer_name": PARTY, "outcome": "signed", **data})


def test_the_form_takes_the_pads_png(client, world, record):
    import base64

    client.force_login(world.officer)
    png = canvas_png()
    r = post_signature(client, record, mark_data="data:image/png;base64," + base64.b64encode(png).decode())
    assert r.status_code == 302
    sig = Signature.objects.get(role="party")
    assert (sig.mark_id, sig.mark_kind) == (hashlib.sha256(png).hexdigest(), "canvas")
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert reverse("records:signature_mark", args=[sig.pk]) in page and "手写板签名" in page
    assert 'id="id_signature_canvas"' in page and 'name="mark_photo"' in page and 'capture="environment"' in page
    assert "records/signature-pad.js" in page


def test_the_form_takes_a_photo_without_javascript(client, world, record):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.officer)
    jpg = paper_jpeg()
    r = post_signature(client, record, mark_photo=SimpleUploadedFile("IMG_0001.jpg", jpg, "image/jpeg"))
    assert r.status_code == 302
    assert Signature.objects.get(role="party").mark_kind == "photo"


@pytest.mark.parametrize("data, message", [
    ({"mark_data": "data:image/png;base64,AAAA"}, "签名图片无法识别"),
    ({"mark_data": "data:image/png;base64,%%%"}, "签名数据无法识别"),
    ({"outcome": "refused", "reason": "不同意", "mark_data": "blank"}, "拒绝签字的记录不能附签名笔迹"),
    ({"mark_data": "blank", "mark_photo": "photo"}, "请只提供一种签名笔迹"),
])
def test_the_form_refuses_a_bad_mark_and_records_the_refusal(client, world, record, data, message):
    import base64

    from django.core.files.uploadedfile import SimpleUploadedFile

    if data.get("mark_data") == "blank":
        data["mark_data"] = "data:image/png;base64," + base64.b64encode(blank_png()).decode()
    if data.get("mark_photo") == "photo":
        data["mark_photo"] = SimpleUploadedFile("p.jpg", paper_jpeg(), "image/jpeg")
    client.force_login(world.officer)
    blobs = Blob.objects.count()
    refusals = Entry.objects.filter(action="records.refused", object_id=str(record.pk)).count()
    r = post_signature(client, record, **data)
    assert r.status_code == 400 and message in r.content.decode()
    assert not Signature.objects.filter(role="party").exists() and Blob.objects.count() == blobs
    assert Entry.objects.filter(action="records.refused", object_id=str(record.pk)).count() == refusals + 1


def test_a_blank_pad_is_refused_through_the_form(client, world, record):
    import base64

    client.force_login(world.officer)
    r = post_signature(client, record, mark_data="data:image/png;base64," + base64.b64encode(blank_png()).decode())
    assert r.status_code == 400 and "签名为空，请重新签写" in r.content.decode()


def _scheme_4_signature(world, record):
    """A party's signature as Liuhen wrote it before marks (digest scheme 4, no mark in its event)."""
    from django.db import transaction
    from django.utils import timezone

    from liuhen.records import vocabulary as V
    from liuhen.records.ledger_checks import keyed_sha256
    from liuhen.records.selectors import record_with_state

    with transaction.atomic():
        version = record_with_state(record.pk).latest
        sig = Signature(record=record, version=version, role=SignerRole.PARTY, signer_name=PARTY,
                        recorded_by=world.officer, signed_at=timezone.now())
        sig.digest = signature_digest(sig, [], scheme=4)
        sig.save()
        services._log(V.SIGN, world.officer, record, version, signature=sig.pk, role=sig.role, digest=sig.digest,
                      scheme=4, decision="", signer_role="", opinion_sha256=keyed_sha256("opinion", ""))
    return sig


def test_a_scheme_4_signature_still_verifies_and_takes_no_mark(world, record):
    sig = _scheme_4_signature(world, record)
    assert verify_log().ok
    blob = store.put(io.BytesIO(canvas_png()))
    drop_append_only("records_signature")
    sql("UPDATE records_signature SET mark_id = %s, mark_kind = 'canvas' WHERE id = %s", [blob.sha256, sig.pk])
    assert found(verify_log(), "altered", f"record:{record.pk} signature:{sig.pk}").code == "records.E016"


def test_a_truncated_photo_is_refused():
    import weasyprint  # noqa: F401 — imported, it lets Pillow decode truncated images for the whole process
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(ValidationError, match="无法识别"):
        marks.check_mark(paper_jpeg()[:2000], MarkKind.PHOTO)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is left as it was
    assert marks.check_mark(paper_jpeg(), MarkKind.PHOTO) == "image/jpeg"
