"""调用单 (issue 19 item 5): a staff member's slip carries the file's SHA-256, is decided once by a role the
profile names and opens an expiring view grant; an outsider's and a party's are entered by the archivist
and approved by the head. Each refusal is Chinese, writes nothing and is itself recorded."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.cases import access
from liuhen.cases.models import AccessGrant
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.retrieval import selectors as s
from liuhen.retrieval import services
from liuhen.retrieval import vocabulary as v
from liuhen.retrieval.models import Decision, RetrievalRequest
from liuhen.testing.cases import complete, make_record, to_archive_stage, to_archived
from liuhen.testing.retrieval import approve, archivist, later, outsider_slip, staff_slip

pytestmark = pytest.mark.django_db


def _refusals(act=None) -> list[dict]:
    events = [event_of(e) for e in Entry.objects.filter(action=v.REFUSED).order_by("id")]
    return [e for e in events if act is None or e["detail"]["act"] == act]


def _refused(exc_type, match, fn, *, act, code=None):
    before = (RetrievalRequest.objects.count(), Decision.objects.count(), AccessGrant.objects.count())
    n = len(_refusals(act))
    with pytest.raises(exc_type, match=match):
        fn()
    assert (RetrievalRequest.objects.count(), Decision.objects.count(), AccessGrant.objects.count()) == before
    got = _refusals(act)
    assert len(got) == n + 1
    if code:
        assert code in got[-1]["detail"]["codes"]
    return got[-1]


def test_a_staff_slip_carries_the_files_sha256_and_waits(world):
    case = to_archived(world)
    req = staff_slip(world, case, days=3)
    assert len(req.file_sha256) == 64 and req.file_sha256 == s.file_sha256(case)
    assert s.state(req) == s.PENDING and s.slip(req).label == "待审批"
    event = event_of(Entry.objects.filter(action=v.REQUEST).get())
    assert event["detail"]["file_sha256"] == req.file_sha256 and event["content_sha256"] == req.ledger_digest()
    assert req.number.startswith("调〔") and req.who == world.officer.display_name


def test_the_files_sha256_follows_each_records_latest_version(world):
    case = to_archive_stage(world)
    before = s.file_sha256(case)
    assert before == s.file_sha256(case)  # deterministic
    make_record(world, case, "closing_report")  # a draft is not in the file (archive.contents)
    assert s.file_sha256(case) == before
    complete(world, case, "closing_report")
    assert s.file_sha256(case) != before


def test_approval_opens_a_view_grant_until_the_slip_expires(world, monkeypatch):
    case = to_archived(world)
    assert not access.can_view(world.officer, case)
    req = staff_slip(world, case, days=3)
    d = approve(world, req, by=world.unit_head)
    grant = AccessGrant.objects.get(pk=d.grant_id)
    assert grant.user == world.officer and grant.scope == "view" and grant.valid_until == d.expires_at
    assert (d.expires_at - d.decided_at).days == 3
    assert access.level(world.officer, case) == access.VIEW and not access.can_work(world.officer, case)
    assert s.state(req) == s.APPROVED and "已批准（至" in s.slip(req).label
    later(monkeypatch, days=3, minutes=1)
    assert access.level(world.officer, case) is None
    assert s.state(RetrievalRequest.objects.get(pk=req.pk)) == s.EXPIRED


def test_a_request_for_an_unarchived_case_is_refused(world):
    case = to_archive_stage(world)
    _refused(ValidationError, "尚未归档", lambda: staff_slip(world, case), act="request", code="not_archived")


@pytest.mark.parametrize("days", [0, 31, "x"])
def test_days_outside_the_profiles_limit_are_refused(world, days):
    case = to_archived(world)
    _refused(ValidationError, "调阅期限", lambda: staff_slip(world, case, days=days), act="request", code="days")


def test_a_request_without_purpose_is_refused(world):
    case = to_archived(world)
    _refused(ValidationError, "调阅用途", lambda: staff_slip(world, case, purpose="  "), act="request",
             code="required")


def test_a_scope_outside_the_file_is_refused(world):
    case = to_archived(world)
    foreign = make_record(world, world.open_case(), "start_approval")  # a record of another case
    _refused(ValidationError, "不属于本案卷", lambda: staff_slip(world, case, record_ids=[foreign.pk]), act="request",
             code="scope")


def test_a_user_of_another_role_or_the_requester_may_not_decide(world):
    case = to_archived(world)
    req = staff_slip(world, case)
    _refused(PermissionDenied, "机关负责人", lambda: approve(world, req, by=world.officer2), act="decide")
    _refused(PermissionDenied, "机关负责人", lambda: approve(world, req, by=world.reviewer), act="decide")
    own = staff_slip(world, case, user=world.unit_head)
    _refused(PermissionDenied, "本人", lambda: approve(world, own, by=world.unit_head), act="decide")
    assert s.awaiting_decision(world.unit_head) == [req] and s.awaiting_decision(world.officer2) == []
    assert set(s.awaiting_decision(world.agency_head)) == {req, own}


def test_a_slip_is_decided_once_and_a_refusal_says_why(world):
    case = to_archived(world)
    req = staff_slip(world, case)
    _refused(ValidationError, "写明理由", lambda: services.decide(world.agency_head, req, approved=False),
             act="decide", code="reason")
    d = services.decide(world.agency_head, req, approved=False, reason="用途与本案无关")
    assert not d.approved and d.expires_at is None and d.grant_id is None and s.state(req) == s.REFUSED
    _refused(ValidationError, "已审批", lambda: approve(world, req, by=world.unit_head), act="decide",
             code="decided")
    assert not access.can_view(world.officer, case)


def test_an_outsiders_request_is_entered_by_the_archivist_and_approved_by_the_head(world):
    case = to_archived(world)
    _refused(PermissionDenied, "档案管理员", lambda: services.register_request(
        world.officer, case, kind="outsider", person="周", id_number="11010519491231002X", purpose="核对"),
        act="register")
    _refused(ValidationError, "介绍信编号", lambda: outsider_slip(world, case, letter_number=""), act="register",
             code="required")
    _refused(ValidationError, "身份证", lambda: outsider_slip(world, case, id_number="123"), act="register")
    req = outsider_slip(world, case)
    assert req.entered_by == archivist(world) and req.requester is None and req.masked_id.startswith("110105")
    assert "1231002X" not in req.masked_id
    # AS 15: an outsider's look is approved by the head, not the unit head.
    _refused(PermissionDenied, "外单位查阅的调用单由机关负责人审批", lambda: approve(world, req, by=world.unit_head),
             act="decide")
    _refused(PermissionDenied, "机关负责人", lambda: approve(world, req, by=archivist(world)), act="decide")
    d = approve(world, req)
    assert d.approved and d.grant_id is None and not AccessGrant.objects.exists()


def test_a_party_may_not_ask_for_trade_secrets_or_privacy(world):
    case = to_archived(world)
    items = s.file_items(case)
    secret, private, plain = items[0].record, items[1].record, items[2].record
    keeper = archivist(world)
    services.classify(keeper, case, secret.pk, "trade_secret")
    services.classify(keeper, case, private.pk, "public")
    services.classify(keeper, case, private.pk, "privacy")  # the latest wins
    err = _refused(ValidationError, secret.record_type.name, lambda: outsider_slip(world, case, kind="party"),
                   act="register", code="closed_class")
    assert err["detail"]["codes"] == ["closed_class"]
    with pytest.raises(ValidationError) as exc:
        outsider_slip(world, case, kind="party", record_ids=[private.pk, plain.pk])
    assert "个人隐私" in str(exc.value) and private.record_type.name in str(exc.value)
    req = outsider_slip(world, case, kind="party", record_ids=[plain.pk])
    assert req.record_ids == [plain.pk]
    staff = staff_slip(world, case)  # the agency's own staff are not a party
    assert staff.record_ids == []
