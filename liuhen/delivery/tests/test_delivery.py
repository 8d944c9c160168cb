"""送达 (行政处罚法 61; 民事诉讼法 85-95): each way of service refused without what the law asks of it,
counting as served only with its proof, at the time its method says; the case does not leave 送达执行
before its decision is served."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liuhen.cases import services as cases
from liuhen.cases.gates import registered_gates
from liuhen.cases.models import Stage
from liuhen.delivery import selectors
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.records.models import Record
from liuhen.testing.avrules import not_suitable
from liuhen.testing.delivery import day, in_service, made, make

pytestmark = pytest.mark.usefixtures("fresh_home")

RECEIPT = "回执.png"
CONSENT = {"postal_address": "本溪市平山区1号", "phone": "13812345678", "e_address": "wangwu@example.cn",
           "e_consent": True, "signed_at": "2026-03-02T09:00"}


def refused(world, case, code, text, **content):
    before = Record.objects.count()
    with pytest.raises(ValidationError) as exc:
        make(world, case, code, **content)
    assert text in "".join(exc.value.messages)
    assert Record.objects.count() == before  # nothing half-written
    return exc.value


def decision(case):
    item = selectors.decision_service(case)
    assert item is not None and item.record.record_type.code == "decision"
    return item


def served_problems(case):
    """The delivery gate's problems, as registered (the other gates — the AV one — speak for themselves)."""
    return registered_gates()["delivery"](case, case.stage, {})


def test_direct_service_needs_the_receiver_and_a_lawful_relation(world):
    case = in_service(world)
    refused(world, case, "service_receipt", "应当写明签收人", receiver="")
    refused(world, case, "service_receipt", "签收人与受送达人的关系", receiver="王小五", receiver_relation="")
    exc = refused(world, case, "service_receipt", "不能认定为直接送达", receiver="李四", receiver_relation="其他")
    assert exc.error_list[0].code == "direct_unlawful_receiver"
    assert decision(case).status == selectors.NONE
    receipt = made(world, case, "service_receipt", receiver="王小五", receiver_relation="成年家属",
                   served_at="2026-03-11T10:00")
    item = decision(case)
    assert item.status == selectors.SERVED and item.served.record == receipt
    assert item.served.served_at == timezone.make_aware(datetime.datetime(2026, 3, 11, 10, 0))
    assert served_problems(case) == []


def test_a_receipt_naming_a_number_not_of_the_case_is_refused(world):
    case = in_service(world)
    refused(world, case, "service_receipt", "不是本案已签发文书", doc_number="测水罚〔2020〕第9号")


def test_mail_and_public_notice_have_their_own_records(world):
    case = in_service(world)
    refused(world, case, "service_receipt", "请制作邮寄送达凭证", method="邮寄送达")
    refused(world, case, "service_receipt", "请制作公告送达记录", method="公告送达")


def test_lien_service_without_a_witness_is_refused_and_without_av_does_not_count(world):
    case = in_service(world)
    refused(world, case, "service_receipt", "拒收事由和拒收日期", method="留置送达", refusal_reason="")
    exc = refused(world, case, "service_receipt", "到场见证", method="留置送达", witness="")
    assert exc.error_list[0].code == "lien_no_witness"
    refused(world, case, "service_receipt", "到场见证", method="留置送达", witness_identity="")
    left = made(world, case, "service_receipt", method="留置送达", witness="赵村长", witness_identity="某村村委会主任",
                refusal_reason="当事人拒收", refused_on=day())
    item = decision(case)
    assert item.status == selectors.PENDING and item.services[0].missing == ["拍照、录像记录"]
    assert any("缺少：拍照、录像记录" in p for p in served_problems(case))
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    not_suitable(world, left)  # the avrules row of the act is met (AS 8)
    assert decision(case).status == selectors.SERVED and served_problems(case) == []


def test_the_profile_may_take_a_witness_or_av_for_lien_service():
    assert selectors.lien_missing("", False, "witness_or_av") == ["见证人或拍照、录像记录"]
    assert selectors.lien_missing("赵村长", False, "witness_or_av") == []
    assert selectors.lien_missing("", True, "witness_or_av") == []
    assert selectors.lien_missing("赵村长", False, "witness_and_av") == ["拍照、录像记录"]
    assert selectors.lien_missing("", True, "witness_and_av") == ["见证人"]


def test_entrusted_service_needs_the_reason_and_the_body(world):
    case = in_service(world)
    refused(world, case, "service_receipt", "受托（转交）机关", method="委托送达", receiving_body="")
    refused(world, case, "service_receipt", "转交的原因", method="转交送达", entrust_reason="")
    made(world, case, "service_receipt", method="转交送达", entrust_reason="当事人正在服刑",
         receiving_body="本溪监狱", served_at="2026-03-12T09:00")
    assert decision(case).status == selectors.SERVED


def test_electronic_service_without_consent_is_refused(world):
    case = in_service(world)
    exc = refused(world, case, "service_receipt", "须经受送达人同意", method="电子送达", e_address="wangwu@example.cn")
    assert exc.error_list[0].code == "electronic_without_consent"


def test_electronic_service_goes_only_to_the_address_consented_to(world):
    case = in_service(world, confirmation=CONSENT)
    refused(world, case, "service_receipt", "须经受送达人同意", method="电子送达", e_address="other@example.cn")
    refused(world, case, "service_receipt", "应当写明电子送达地址", method="电子送达", e_address="")
    made(world, case, "service_receipt", method="电子送达", e_address="wangwu@example.cn",
         served_at="2026-03-12T09:00")
    assert decision(case).status == selectors.SERVED


def test_a_confirmation_consenting_without_an_address_is_refused(world):
    from liuhen.testing.cases import to_investigation

    case = to_investigation(world)
    refused(world, case, "address_confirmation", "应当写明电子送达地址", **{**CONSENT, "e_address": ""})


def test_mail_counts_on_the_date_received_with_the_return_receipt(world):
    case = in_service(world)
    refused(world, case, "mail_receipt", "签收日期不能早于寄出日期", sent_on=day(3), received_on=day(5))
    made(world, case, "mail_receipt", sent_on=day(5), received_on="")
    assert decision(case).services[0].missing == ["签收日期（尚未签收）", "邮件回执（附件）"]
    # The base profile's requirement (a complete service record) is met; the proof is not.
    assert "缺少：签收日期（尚未签收）、邮件回执（附件）" in served_problems(case)[0]
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    mail = made(world, case, "mail_receipt", sent_on=day(5), received_on=day(3), files=[(RECEIPT, b"png")])
    item = decision(case)
    assert item.served.record == mail
    assert item.served.served_at == timezone.make_aware(datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=3), datetime.time()))
    case = cases.advance(world.officer, case)
    assert case.stage == Stage.ARCHIVE


def test_public_notice_needs_proof_the_other_ways_failed(world):
    case = in_service(world)
    exc = refused(world, case, "service_notice", "本案没有此前送达未成的记录", address_unknown=False)
    assert exc.error_list[0].code == "public_without_failure"
    made(world, case, "mail_receipt", sent_on=day(60), received_on="")  # returned: never received
    made(world, case, "service_notice", address_unknown=False, published_on=day(10))


def test_a_receipt_the_party_refused_is_a_failed_attempt(world):
    from liuhen.records import services as rec
    from liuhen.records.models import SignerRole

    case = in_service(world)
    receipt = make(world, case, "service_receipt")
    rec.record_other_signature(world.officer, receipt, role=SignerRole.PARTY, signer_name="王五", refused=True,
                               reason="拒绝签收")
    made(world, case, "service_notice", address_unknown=False, published_on=day(10))


def test_public_notice_counts_after_the_profiles_days_with_the_notice_and_av(world):
    case = in_service(world)
    recent = made(world, case, "service_notice", published_on=day(10), files=[("公告.png", b"png")])
    not_suitable(world, recent)
    item = decision(case)
    assert item.status == selectors.WAITING
    ends = timezone.localdate() + datetime.timedelta(days=20)
    assert item.services[0].served_at.date() == ends
    assert any(f"公告期至{ends:%Y-%m-%d}届满" in p for p in served_problems(case))
    bare = made(world, case, "service_notice", published_on=day(40))
    assert selectors.documents_to_serve(case)[0].services[1].missing == ["公告原件或照片（附件）", "公告张贴的拍照、录像记录"]
    posted = made(world, case, "service_notice", published_on=day(40), files=[("公告.png", b"png")])
    not_suitable(world, posted)
    item = decision(case)
    assert item.served.record == posted and bare.pk != posted.pk
    assert item.served.served_at.date() == timezone.localdate() - datetime.timedelta(days=10)
    assert served_problems(case) == []


def test_the_gate_keeps_the_case_until_the_decision_is_served(world):
    case = in_service(world)
    problems = served_problems(case)
    assert any("决定书尚未送达" in p and "行政处罚法 61" in p for p in problems)
    with pytest.raises(ValidationError):
        cases.advance(world.officer, case)
    made(world, case, "service_receipt")
    case = cases.advance(world.officer, case)
    assert case.stage == Stage.ARCHIVE and served_problems(case) == []


def test_the_receipt_is_refused_through_the_page_and_recorded(world, client):
    case = in_service(world)
    client.force_login(world.officer)
    before = Record.objects.count()
    resp = client.post(f"/records/new/{case.pk}/?type=service_receipt", {
        "type": "service_receipt", "document": "行政处罚决定书", "method": "留置送达", "served_at": "2026-03-11T10:00",
        "place": "某村", "refusal_reason": "拒收", "refused_on": "2026-03-11"})
    assert resp.status_code == 400 and "到场见证" in resp.content.decode()
    assert Record.objects.count() == before
    [e] = [event_of(e) for e in Entry.objects.filter(action="records.refused", object_id=str(case.pk))]
    assert e["detail"]["status"] == 400


def test_the_case_page_shows_what_is_served_and_what_is_missing(world, client):
    case = in_service(world)
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="case-delivery"' in page and "尚未送达" in page
    made(world, case, "mail_receipt", sent_on=day(5), received_on=day(3))
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "邮寄送达：缺少邮件回执（附件）" in page and "待补证明" in page
    made(world, case, "service_receipt", served_at="2026-03-11T10:00")
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "直接送达：2026-03-11 10:00送达" in page and "已送达" in page


def test_the_service_clock_ends_at_the_served_time_with_the_proof(world):
    from liuhen.testing.findings import clocks

    case = in_service(world)
    left = made(world, case, "service_receipt", method="留置送达", served_at="2026-03-11T10:00")
    assert clocks(case)["service"].met_at is None  # complete, but its AV record is missing
    made(world, case, "mail_receipt", sent_on=day(5), received_on=day(3), files=[(RECEIPT, b"png")])
    received = timezone.make_aware(datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=3),
                                                             datetime.time()))
    assert clocks(case)["service"].met_at == received == selectors.served_at(case)
    not_suitable(world, left)  # now the 留置送达 of 11 March counts, and it came first
    left_at = timezone.make_aware(datetime.datetime(2026, 3, 11, 10, 0))
    assert clocks(case)["service"].met_at == left_at == selectors.served_at(case)


def test_a_notice_photographed_after_signing_counts_as_its_proof(world):
    """The officer signed the 公告送达记录 first, then photographed the posted notice (补充材料): the photo is
    the notice kept (民事诉讼法 95) on the page and in the oversight scan alike."""
    import io

    from liuhen.oversight.facts import load
    from liuhen.records import services as rec

    case = in_service(world)
    notice = made(world, case, "service_notice", published_on=day(40))
    not_suitable(world, notice)
    assert decision(case).services[0].missing == ["公告原件或照片（附件）"]
    rec.add_supplement(world.officer, notice, [(io.BytesIO(b"\x89PNG\r\n\x1a\n posted"), "公告张贴.png", "image/png")],
                       note="公告张贴后拍照")
    item = decision(case)
    assert item.services[0].missing == [] and item.served.record == notice
    facts, _ = load([case.pk])
    assert facts[case.pk].served_at == item.served.served_at


def test_a_decision_served_after_seven_working_days_is_a_finding(world, monkeypatch):
    """行政处罚法 61 (七日, working days by art. 85): decided twenty days ago, served yesterday → the
    `service` clock met late and its finding (F012); served the day after the decision → none."""
    from liuhen.oversight.vocabulary import SERVICE_LATE
    from liuhen.testing.avrules import clock_at
    from liuhen.testing.findings import clocks, codes

    with clock_at(monkeypatch, timezone.now() - datetime.timedelta(days=20)):
        late = in_service(world)
        on_time = in_service(world)
    yesterday = f"{day(1)}T10:00"
    made(world, late, "service_receipt", served_at=yesterday)
    made(world, on_time, "service_receipt", served_at=f"{day(19)}T10:00")
    assert clocks(late)["service"].status == "met_late" and SERVICE_LATE in codes(late)
    assert clocks(on_time)["service"].status == "met" and SERVICE_LATE not in codes(on_time)
