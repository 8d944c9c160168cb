"""A refused act answers 4xx with its Chinese message (no redirect with a flash) and is in the ledger
(ledger/refusals.py): cases.refused / records.refused, with no message text in the event."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liuhen.cases import services as cases
from liuhen.cases.models import Stage
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.records import services as records
from liuhen.records.models import Signature
from liuhen.testing.web import INSPECTION, PARTY_NAME, case_in_investigation, form_data, inspection_record


def refusal(action: str) -> dict:
    entry = Entry.objects.filter(action=action).latest("id")
    return event_of(entry)


def body(response) -> str:
    return response.content.decode("utf-8")


@pytest.fixture
def record(world):
    return inspection_record(world)


# ---- cases ----------------------------------------------------------------------------------


def test_new_case_form_errors_are_400_and_recorded(client, world):
    client.force_login(world.officer)
    response = client.post("/cases/new/", {"title": "", "kind": "penalty", "procedure": "general",
                                           "start_mode": "ex_officio", "summary": "已填写的案情"})
    assert response.status_code == 400
    assert "这个字段是必填项" in body(response) and "已填写的案情" in body(response)  # what was typed is kept
    ev = refusal("cases.refused")
    assert ev["actor"]["id"] == world.officer.pk
    assert ev["object"] == {"type": "path", "id": "/cases/new/", "version": None}
    assert ev["detail"]["status"] == 400 and ev["detail"]["fields"] == ["title"]
    assert "required" in ev["detail"]["codes"]


def test_party_form_errors_are_recorded_without_the_party_data(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    response = client.post(f"/cases/{case.pk}/parties/add/", {"kind": "person", "name": "王五",
                                                             "id_number": "110105194912310021"})
    assert response.status_code == 400 and "身份证号码校验位不正确" in body(response)
    ev = refusal("cases.refused")
    assert ev["object"]["type"] == "case" and ev["object"]["id"] == str(case.pk)
    entry = Entry.objects.filter(action="cases.refused").latest("id")
    leaf = bytes(entry.leaf).decode()
    assert "王五" not in leaf and "110105194912310021" not in leaf


def test_add_officer_refused_is_400_page(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    response = client.post(f"/cases/{case.pk}/officers/add/", {"officer": world.officer2.pk})  # already on it
    assert response.status_code == 400
    assert "不能增加承办人员" in body(response) and "请选择有效的执法人员" in body(response)
    assert f'href="/cases/{case.pk}/"' in body(response)  # the way back to the case
    assert refusal("cases.refused")["object"]["id"] == str(case.pk)


def test_advance_refused_is_409_and_recorded(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    response = client.post(f"/cases/{case.pk}/advance/", {"note": ""})
    assert response.status_code == 409 and "尚未登记当事人" in body(response)
    ev = refusal("cases.refused")
    assert ev["detail"]["status"] == 409 and ev["detail"]["messages"] >= 2


def test_send_back_without_reason_is_400_not_a_redirect(client, world):
    case = case_in_investigation(world)
    client.force_login(world.officer)
    response = client.post(f"/cases/{case.pk}/send-back/", {"reason": ""})
    assert response.status_code == 400
    assert "只有审查决定阶段可以退回补充调查" in body(response)
    assert refusal("cases.refused")["object"]["id"] == str(case.pk)
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_a_note_with_a_control_character_is_refused(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    response = client.post(f"/cases/{case.pk}/advance/", {"note": "批准\x07"})
    assert response.status_code == 409 and "控制字符" in body(response)
    assert not Entry.objects.filter(action="case.transition").exists()


# ---- records --------------------------------------------------------------------------------


def test_new_record_form_errors_are_recorded(client, world):
    case = case_in_investigation(world)
    client.force_login(world.officer)
    response = client.post(f"/records/new/{case.pk}/", form_data({**INSPECTION, "findings": ""},
                                                                 type="inspection_record"))
    assert response.status_code == 400 and "某村三号取水口" in body(response)
    ev = refusal("records.refused")
    assert ev["object"] == {"type": "case", "id": str(case.pk), "version": None}
    assert ev["detail"]["fields"] == ["findings"]


def test_edit_of_a_signed_record_is_409_recorded(client, world, record):
    records.sign_as_officer(world.officer, record)
    client.force_login(world.officer)
    response = client.post(f"/records/{record.pk}/edit/", form_data({**INSPECTION, "place": "别处"}, reason="改"))
    assert response.status_code == 409 and "不能修改" in body(response)
    assert f'href="/records/{record.pk}/"' in body(response)
    ev = refusal("records.refused")
    assert ev["object"]["type"] == "record" and ev["object"]["id"] == str(record.pk)
    assert ev["detail"]["status"] == 409


def test_edit_without_reason_is_recorded(client, world, record):
    client.force_login(world.officer)
    response = client.post(f"/records/{record.pk}/edit/", form_data({**INSPECTION, "place": "四号取水口"}))
    assert response.status_code == 400 and "修改记录必须填写修改理由" in body(response)
    assert "四号取水口" in body(response)  # the form is re-shown with what was typed
    assert refusal("records.refused")["detail"]["messages"] == 1


@pytest.mark.parametrize("post, status, message", [
    ({}, 400, "请选择要上传的文件"),
    ({"file": SimpleUploadedFile("empty.txt", b"")}, 400, "文件为空"),
])
def test_attach_refusals(client, world, record, post, status, message):
    client.force_login(world.officer)
    response = client.post(f"/records/{record.pk}/attach/", post)
    assert response.status_code == status and message in body(response)
    assert refusal("records.refused")["detail"]["status"] == status


def test_second_signature_is_409(client, world, record):
    client.force_login(world.officer)
    assert client.post(f"/records/{record.pk}/sign/", {"as": "officer"}).status_code == 302
    response = client.post(f"/records/{record.pk}/sign/", {"as": "officer"})
    assert response.status_code == 409 and "您已在该记录上签字" in body(response)
    assert refusal("records.refused")["object"]["id"] == str(record.pk)


def test_other_signature_refusals_keep_the_name_out_of_the_ledger(client, world, record):
    client.force_login(world.officer)
    response = client.post(f"/records/{record.pk}/other-signature/",
                           {"role": "party", "signer_name": "张三丰", "outcome": "signed"})
    assert response.status_code == 400 and "“张三丰”不是本案当事人" in body(response)
    entry = Entry.objects.filter(action="records.refused").latest("id")
    assert "张三丰" not in bytes(entry.leaf).decode()


def test_confirm_refusal_refused_is_409(client, world, record):
    records.record_other_signature(world.officer, record, role="party", signer_name=PARTY_NAME, refused=True,
                                   reason="拒绝签字")
    sig = Signature.objects.get(record=record, role="party")
    client.force_login(world.officer)  # the recording officer has confirmed it already
    response = client.post(f"/records/signatures/{sig.pk}/confirm/")
    assert response.status_code == 409 and "您已确认过该拒签记录" in body(response)
    assert f'href="/records/{record.pk}/"' in body(response)
    assert refusal("records.refused")["detail"]["status"] == 409


def test_void_without_reason_is_400(client, world, record):
    client.force_login(world.officer)
    response = client.post(f"/records/{record.pk}/void/", {"reason": " "})
    assert response.status_code == 400 and "作废记录必须填写理由" in body(response)
    assert refusal("records.refused")["detail"]["status"] == 400


def test_refusal_actions_are_read_type_names():
    """The names end in .refused / .denied: a read-type event, appended outside a write."""
    from liuhen.ledger import refusals

    with pytest.raises(ValueError):
        refusals.record_refusal(None, "records.refuse", [])


def test_record_refusal_works_outside_any_transaction(rf, world, transactional_db):
    from liuhen.ledger import refusals

    request = rf.post("/cases/new/")
    request.user = world.officer
    refusals.record_refusal(request, "cases.refused", ["x"], status=400)
    assert Entry.objects.filter(action="cases.refused").count() == 1


def test_party_name_on_form_refusal_does_not_reach_the_ledger(client, world):
    case = world.open_case()
    cases.add_party(world.officer, case, kind="person", name="甲", id_number="11010519491231002X")
    client.force_login(world.officer)
    client.post(f"/cases/{case.pk}/parties/add/", {"kind": "person", "name": "李四\x00", "id_number": "1"})
    leaf = bytes(Entry.objects.filter(action="cases.refused").latest("id").leaf).decode()
    assert "李四" not in leaf


def test_refusals_and_denials_leave_liuhen_verify_clean(client, fresh_home, verified_world):
    """Refusal and denial events name real cases and records: the domain checks (which read every
    event about a case or record) must not mistake them for claims about rows."""
    from liuhen.ledger.verify import verify_log

    world = verified_world
    record = inspection_record(world)
    client.force_login(world.officer)
    client.post(f"/records/{record.pk}/void/", {"reason": ""})  # records.refused on the record
    client.post(f"/cases/{record.case_id}/advance/", {})  # cases.refused on the case
    client.post("/cases/new/", {"title": ""})  # cases.refused on a path
    client.force_login(world.outsider)
    client.get(f"/cases/{record.case_id}/")  # access.denied on the case
    client.get(f"/records/{record.pk}/")  # access.denied on the record
    assert Entry.objects.filter(action__in=["records.refused", "cases.refused", "access.denied"]).count() == 5
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
