"""Record pages through the Django test client: traced reads, refusals in Chinese, the whole flow."""
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liuhen.cases import services as cases
from liuhen.testing.otp import login_verified
from liuhen.cases.validators import id_check_char
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.records import selectors, services
from liuhen.records.models import Attachment, Record, RecordType, RecordVersion, Signature

INSPECTION = {"time": "2026-03-02T09:30", "place": "某村三号取水口", "certificates_shown": True,
              "present": "村委会主任", "findings": "现场发现水泵正在取水。"}
PARTY_NAME = "王某"




@pytest.fixture
def case(world):
    case = world.open_case()
    first17 = "11010519491231002"
    cases.add_party(world.officer, case, kind="person", name=PARTY_NAME, id_number=first17 + id_check_char(first17))
    return world.to_investigation(case)


@pytest.fixture
def record(world, case):
    return services.create_record(world.officer, case, RecordType.objects.get(code="inspection_record"),
                                  dict(INSPECTION))


def login(client, user):
    login_verified(client, user)
    return client


def flashed(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def multipart(filename: str, data: bytes, boundary="LiuhenBoundary7MA4YWxk"):
    """A hand-made upload body, so the file name reaches the server exactly as a browser may send it."""
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# ---- reads are traced ----------------------------------------------------------------------


def test_detail_shows_the_record_and_traces_the_view(client, world, record):
    login(client, world.officer2)
    before = Entry.objects.filter(action="record.view").count()
    response = client.get(reverse("records:detail", args=[record.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "现场检查(勘验)笔录" in html and "某村三号取水口" in html and "草稿" in html
    assert record.versions.get().content_sha256 in html
    views = Entry.objects.filter(action="record.view", object_id=str(record.pk))
    assert views.count() == before + 1
    view = views.latest("id")
    assert view.actor_id == world.officer2.pk and view.object_type == "record"
    assert view.request_id == response["X-Request-Id"]


@pytest.mark.pages_only
def test_anonymous_is_sent_to_login(client, record):
    response = client.get(reverse("records:detail", args=[record.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert not Entry.objects.filter(action="record.view").exists()


def test_download_returns_the_bytes_and_traces_it(client, world, record):
    data = "照片".encode() + bytes(range(200))
    att = services.attach(world.officer, record, SimpleUploadedFile("x.jpg", data), "现场照片.jpg", "image/jpeg")
    login(client, world.officer2)
    response = client.get(reverse("records:download", args=[att.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" in response["Content-Disposition"]
    assert "%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg" in response["Content-Disposition"]  # 现场照片.jpg
    entry = Entry.objects.get(action="record.download")
    assert entry.actor_id == world.officer2.pk and entry.object_id == str(record.pk)
    event = ledger.event_of(entry)
    assert event["blobs"] == [hashlib.sha256(data).hexdigest()] and event["detail"] == {"attachment": att.pk}


def test_download_refused_to_another_unit(client, world, record):
    att = services.attach(world.officer, record, SimpleUploadedFile("x.txt", b"secret"), "x.txt")
    login(client, world.outsider)
    response = client.get(reverse("records:download", args=[att.pk]))
    assert response.status_code == 404  # as if it did not exist
    assert not Entry.objects.filter(action="record.download").exists()


def test_officer_of_another_unit_gets_404_and_the_refusal_is_traced(client, world, record):
    login(client, world.outsider)
    response = client.get(reverse("records:detail", args=[record.pk]))
    assert response.status_code == 404  # as for a record that does not exist
    assert "页面不存在" in response.content.decode()
    assert "某村三号取水口" not in response.content.decode()
    assert not Entry.objects.filter(action="record.view").exists()
    denied = Entry.objects.get(action="access.denied")
    assert denied.actor_id == world.outsider.pk and denied.object_type == "record"
    assert denied.object_id == str(record.pk)


@pytest.mark.pages_only
def test_system_admin_sees_no_case_content(client, world, record):
    login(client, world.sysadmin)
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 404


# ---- edits ---------------------------------------------------------------------------------


def _form_post(content: dict, **extra) -> dict:
    data = {k: v for k, v in content.items() if k != "certificates_shown"}
    if content.get("certificates_shown"):
        data["certificates_shown"] = "on"
    data.update(extra)
    return data


def test_edit_without_reason_is_400_and_writes_nothing(client, world, record):
    login(client, world.officer)
    response = client.post(reverse("records:edit", args=[record.pk]), _form_post({**INSPECTION, "place": "别处"}))
    assert response.status_code == 400
    assert "修改记录必须填写修改理由。" in response.content.decode()
    assert RecordVersion.objects.filter(record=record).count() == 1
    assert not Entry.objects.filter(action="record.version").exists()


def test_edit_with_reason_appends_a_version(client, world, record):
    login(client, world.officer)
    url = reverse("records:edit", args=[record.pk])
    get = client.get(url)
    assert get.status_code == 200 and 'value="2026-03-02T09:30"' in get.content.decode()
    response = client.post(url, _form_post({**INSPECTION, "place": "四号取水口"}, reason="地点笔误"))
    assert response.status_code == 302 and response["Location"] == reverse("records:detail", args=[record.pk])
    assert "已保存为新版本。" in flashed(response)
    v2 = RecordVersion.objects.get(record=record, number=2)
    assert v2.content["place"] == "四号取水口" and v2.reason == "地点笔误"
    assert RecordVersion.objects.get(record=record, number=1).content["place"] == "某村三号取水口"


def test_edit_of_signed_record_is_409_with_message(client, world, record):
    services.sign_as_officer(world.officer, record)
    login(client, world.officer)
    response = client.post(reverse("records:edit", args=[record.pk]),
                           _form_post({**INSPECTION, "place": "别处"}, reason="改"))
    assert response.status_code == 409
    assert "该记录已签字或已作废，不能修改。" in response.content.decode()
    assert RecordVersion.objects.filter(record=record).count() == 1


# ---- uploads -------------------------------------------------------------------------------


@pytest.mark.pages_only
def test_upload_empty_file_is_400_with_chinese_error(client, world, record, settings):
    login(client, world.officer)
    response = client.post(reverse("records:attach", args=[record.pk]),
                           {"file": SimpleUploadedFile("empty.txt", b"")})
    assert response.status_code == 400
    assert "文件为空" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in settings.LIUHEN_BLOB_DIR.rglob("*"))


def test_upload_stores_file_and_shows_it(client, world, record):
    login(client, world.officer)
    data = b"%PDF-1.7 inspection scan"
    response = client.post(reverse("records:attach", args=[record.pk]),
                           {"file": SimpleUploadedFile("扫描件.pdf", data, content_type="application/pdf")})
    assert response.status_code == 302 and "已上传附件：扫描件.pdf" in flashed(response)
    att = Attachment.objects.get(record=record)
    assert att.filename == "扫描件.pdf" and att.content_type == "application/pdf"
    assert store.path_for(att.blob_id).read_bytes() == data
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "扫描件.pdf" in page and att.blob_id in page


@pytest.mark.parametrize("sent, kept", [("../../etc/passwd", "passwd"), ("..\\..\\x.txt", "x.txt"),
                                        ("a/b.txt", "b.txt")])
def test_upload_with_a_path_keeps_only_the_final_name(client, world, record, settings, tmp_path, sent, kept):
    login(client, world.officer)
    body, ctype = multipart(sent, b"not a password file")
    response = client.post(reverse("records:attach", args=[record.pk]), data=body, content_type=ctype)
    assert response.status_code == 302
    att = Attachment.objects.get(record=record)
    assert att.filename == kept and "/" not in att.filename and "\\" not in att.filename
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert stored == [store.path_for(att.blob_id)]


@pytest.mark.pages_only
def test_upload_with_a_dot_dot_name_is_refused(client, world, record):
    login(client, world.officer)
    body, ctype = multipart("..passwd", b"content")
    response = client.post(reverse("records:attach", args=[record.pk]), data=body, content_type=ctype)
    assert response.status_code == 400
    assert "路径" in response.content.decode()
    assert not Attachment.objects.exists()


@pytest.mark.pages_only
def test_upload_refused_to_officer_not_on_case(client, world, record):
    login(client, world.officer3)
    response = client.post(reverse("records:attach", args=[record.pk]),
                           {"file": SimpleUploadedFile("a.txt", b"a")})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


# ---- signing -------------------------------------------------------------------------------


@pytest.mark.pages_only
def test_sign_by_unassigned_officer_is_403(client, world, record):
    login(client, world.officer3)  # same unit: may view, not on the case
    assert client.get(reverse("records:detail", args=[record.pk])).status_code == 200
    response = client.post(reverse("records:sign", args=[record.pk]), {"as": "officer"})
    assert response.status_code == 403
    assert "只有本案承办人员可以以执法人员身份签字。" in response.content.decode()
    assert not Signature.objects.filter(record=record).exists()


@pytest.mark.pages_only
def test_sign_as_leader_by_officer_is_403(client, world, record):
    login(client, world.officer)
    response = client.post(reverse("records:sign", args=[record.pk]), {"as": "leader"})
    assert response.status_code == 403
    assert not Signature.objects.filter(record=record).exists()


def test_second_signature_by_same_officer_flashes_error(client, world, record):
    login(client, world.officer)
    url = reverse("records:sign", args=[record.pk])
    assert "已签字。" in flashed(client.post(url, {"as": "officer"}))
    response = client.post(url, {"as": "officer"})
    assert response.status_code == 409 and "您已在该记录上签字。" in response.content.decode()
    assert Signature.objects.filter(record=record).count() == 1


@pytest.mark.pages_only
def test_sign_is_post_only(client, world, record):
    login(client, world.officer)
    assert client.get(reverse("records:sign", args=[record.pk])).status_code == 405
    assert not Signature.objects.filter(record=record).exists()


@pytest.mark.pages_only
def test_refusal_without_reason_flashes_error(client, world, record):
    login(client, world.officer)
    response = client.post(reverse("records:other_signature", args=[record.pk]),
                           {"role": "party", "signer_name": PARTY_NAME, "outcome": "refused", "reason": ""})
    assert response.status_code == 400
    assert "记录拒绝签字必须写明拒签事由。" in response.content.decode()
    assert not Signature.objects.filter(record=record).exists()


def test_void_without_reason_flashes_error_and_with_reason_marks_void(client, world, record):
    login(client, world.officer)
    url = reverse("records:void", args=[record.pk])
    refused = client.post(url, {"reason": " "})
    assert refused.status_code == 400 and "作废记录必须填写理由。" in refused.content.decode()
    assert not selectors.record_with_state(record.pk).voided
    response = client.post(url, {"reason": "重复制作"})
    assert "记录已作废（保留原记录及其历史）。" in flashed(response)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "已作废" in page and "重复制作" in page and "某村三号取水口" in page
    assert Record.objects.filter(pk=record.pk).exists()


# ---- the whole flow through the pages ------------------------------------------------------


def test_full_inspection_record_flow(client, world, case):
    login(client, world.officer)
    new_url = reverse("records:new", args=[case.pk])
    form = client.get(new_url, {"type": "inspection_record"})
    assert form.status_code == 200
    assert 'name="findings"' in form.content.decode() and "检查情况" in form.content.decode()

    response = client.post(new_url, _form_post(INSPECTION, type="inspection_record"))
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Record.objects.get(case=case, record_type__code="inspection_record")
    assert response["Location"] == reverse("records:detail", args=[record.pk])
    assert "已保存现场检查(勘验)笔录。" in flashed(response)
    assert record.versions.get().content["time"] == "2026-03-02T09:30+08:00"

    photo = b"\xff\xd8\xff\xe0 jpeg bytes of the pump"
    client.post(reverse("records:attach", args=[record.pk]),
                {"file": SimpleUploadedFile("水泵.jpg", photo, content_type="image/jpeg")})
    assert Attachment.objects.get(record=record).blob_id == hashlib.sha256(photo).hexdigest()

    sign_url = reverse("records:sign", args=[record.pk])
    assert "已签字。" in flashed(client.post(sign_url, {"as": "officer"}))
    response = client.post(reverse("records:other_signature", args=[record.pk]), {
        "role": "party", "signer_name": PARTY_NAME, "outcome": "refused", "reason": "当事人拒绝在笔录上签字"})
    assert "已记录拒绝签字，待第二名执法人员确认。" in flashed(response)
    refusal = Signature.objects.get(record=record, role="party")
    assert selectors.record_with_state(record.pk).status_label == "签字中"
    confirm_url = reverse("records:confirm_refusal", args=[refusal.pk])
    assert confirm_url not in client.get(reverse("records:detail", args=[record.pk])).content.decode()  # confirmed

    login(client, world.officer2)
    assert confirm_url in client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "已签字。" in flashed(client.post(sign_url, {"as": "officer"}))
    assert selectors.record_with_state(record.pk).missing == ["当事人拒签须两名执法人员确认"]
    response = client.post(reverse("records:confirm_refusal", args=[refusal.pk]))
    assert response["Location"] == reverse("records:detail", args=[record.pk])
    assert "已确认拒签。" in flashed(response)

    st = selectors.record_with_state(record.pk)
    assert st.complete and st.status_label == "已完成"
    detail = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "已完成" in detail and "当事人拒绝在笔录上签字" in detail and "（2/2）" in detail
    assert confirm_url not in detail  # each officer confirms once (LQ 17)
    assert "尚缺" not in detail

    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    link = f'<a href="{reverse("records:detail", args=[record.pk])}">现场检查(勘验)笔录</a>'
    assert link in html
    row = html[html.index(link):]
    assert "附件1" in row[:600] and "已完成" in row[:800]

    actions = [e["action"] for e in ledger.trail("record", record.pk)]
    assert actions[:2] == ["record.create", "record.attach"] and actions[-1] == "record.view"
    assert actions.count("record.sign") == 2 and "record.refuse" in actions and "record.refusal_confirm" in actions


def test_new_record_with_invalid_content_is_400_and_writes_nothing(client, world, case):
    login(client, world.officer)
    response = client.post(reverse("records:new", args=[case.pk]),
                           _form_post({**INSPECTION, "findings": "", "certificates_shown": False},
                                      type="inspection_record"))
    assert response.status_code == 400
    assert "这个字段是必填项" in response.content.decode()
    assert not Record.objects.filter(case=case, record_type__code="inspection_record").exists()


@pytest.mark.pages_only
def test_new_record_refused_to_officer_not_on_case(client, world, case):
    login(client, world.officer3)
    response = client.post(reverse("records:new", args=[case.pk]), _form_post(INSPECTION, type="inspection_record"))
    assert response.status_code == 403
    assert not Record.objects.filter(case=case, record_type__code="inspection_record").exists()
