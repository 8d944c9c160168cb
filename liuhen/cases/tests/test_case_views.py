"""Case pages through the Django test client: lists, forms, refusals and their Chinese messages."""
import pytest
from django.utils import timezone

from liuhen.cases import services as cases
from liuhen.cases.models import Case, Party, Stage
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.cases import PERSON_ID, add_person, complete, to_decision
from liuhen.testing.otp import login_verified

YEAR = timezone.localdate().year




def as_user(client, user):
    login_verified(client, user)
    return client


def text(resp) -> str:
    return resp.content.decode("utf-8")


# ---- lists ---------------------------------------------------------------------------------

@pytest.mark.pages_only
def test_anonymous_is_sent_to_login(client, world):
    resp = client.get("/cases/")
    assert resp.status_code == 302
    assert resp["Location"].startswith("/login/")


def test_my_cases_lists_only_visible_cases(client, world):
    ours = world.open_case(title="未经许可取水")
    theirs = cases.open_case(world.outsider, title="拖欠水资源费", kind="levy", procedure="general",
                             start_mode="ex_officio", on_site=False, officers=[])
    body = text(as_user(client, world.officer).get("/cases/"))
    assert ours.number in body and "未经许可取水" in body
    assert theirs.number not in body and "拖欠水资源费" not in body

    body = text(client.get("/cases/?scope=all"))
    assert ours.number in body and theirs.number not in body

    # Same unit but not on the team: not in "mine", in "all".
    as_user(client, world.officer3)
    assert ours.number not in text(client.get("/cases/?scope=mine"))
    assert ours.number in text(client.get("/cases/?scope=all"))

    as_user(client, world.agency_head)
    body = text(client.get("/cases/?scope=all"))
    assert ours.number in body and theirs.number in body

    as_user(client, world.sysadmin)
    body = text(client.get("/cases/?scope=all"))
    assert ours.number not in body and theirs.number not in body
    assert "暂无案件" in body


def test_my_cases_stage_filter(client, world):
    started = world.open_case(title="甲案")
    moved = world.open_case(title="乙案")
    add_person(world, moved)
    complete(world, moved, "start_approval")
    cases.advance(world.officer, moved)
    body = text(as_user(client, world.officer).get("/cases/?stage=investigation"))
    assert moved.number in body and started.number not in body


# ---- new case -----------------------------------------------------------------------------

def _new_case_post(**kw):
    data = {"title": "未经许可取水", "kind": "penalty", "procedure": "general", "start_mode": "ex_officio",
            "on_site": "on", "summary": ""}
    data.update(kw)
    return data


@pytest.mark.pages_only
def test_new_case_form_renders(client, world):
    resp = as_user(client, world.officer).get("/cases/new/")
    assert resp.status_code == 200
    body = text(resp)
    assert "李强（水政监察大队 · 1401000002）" in body
    assert "无有效执法证，不能指定：赵刚" in body  # listed apart, not selectable
    assert "张明（" not in body  # the author is not offered as "other officer"


@pytest.mark.pages_only
def test_new_case_missing_title(client, world):
    resp = as_user(client, world.officer).post("/cases/new/", _new_case_post(title="", officers=[world.officer2.pk]))
    assert resp.status_code == 400
    assert "这个字段是必填项" in text(resp)
    assert Case.objects.count() == 0


@pytest.mark.pages_only
def test_new_case_with_expired_officer(client, world):
    resp = as_user(client, world.officer).post("/cases/new/", _new_case_post(officers=[world.expired.pk]))
    assert resp.status_code == 400
    assert "没有有效执法证" in text(resp)
    assert Case.objects.count() == 0
    assert not Entry.objects.filter(action__startswith="case.").exists()


@pytest.mark.pages_only
def test_new_case_on_site_alone(client, world):
    resp = as_user(client, world.officer).post("/cases/new/", _new_case_post())
    assert resp.status_code == 400
    assert "现场执法应有两名以上执法人员" in text(resp)
    assert Case.objects.count() == 0


def test_new_case_created(client, world):
    resp = as_user(client, world.officer).post(
        "/cases/new/", _new_case_post(officers=[world.officer2.pk], summary="某公司取水"))
    case = Case.objects.get()
    assert resp.status_code == 302
    assert resp["Location"] == f"/cases/{case.pk}/"
    assert case.number == f"测水罚〔{YEAR}〕1号"
    assert case.on_site and case.summary == "某公司取水"
    assert list(case.officers.values_list("officer__username", "is_lead")) == [("zhang", True), ("li", False)]
    entry = Entry.objects.get(action="case.create")
    assert event_of(entry)["request"]["channel"] == "web"


@pytest.mark.pages_only
def test_sysadmin_cannot_open_case(client, world):
    resp = as_user(client, world.sysadmin).post("/cases/new/", _new_case_post(on_site=""))
    assert resp.status_code == 403
    assert "只有执法人员或承办机构负责人可以立案" in text(resp)
    assert Case.objects.count() == 0


# ---- parties --------------------------------------------------------------------------------

def _party_post(**kw):
    data = {"kind": "person", "name": "王五", "id_number": PERSON_ID, "phone": "13812345678", "address": "平山区1号"}
    data.update(kw)
    return data


def test_add_party_bad_id_number(client, world):
    case = world.open_case()
    resp = as_user(client, world.officer).post(f"/cases/{case.pk}/parties/add/",
                                               _party_post(id_number="110105194912310021"))
    assert resp.status_code == 400
    assert "身份证号码校验位不正确" in text(resp)
    assert Party.objects.count() == 0
    assert not Entry.objects.filter(action="case.party_add").exists()


def test_add_party_missing_fields(client, world):
    case = world.open_case()
    resp = as_user(client, world.officer).post(f"/cases/{case.pk}/parties/add/", _party_post(name="", id_number=""))
    assert resp.status_code == 400
    assert "这个字段是必填项" in text(resp)
    assert Party.objects.count() == 0


def test_add_party_odd_digit_gives_form_error(client, world):
    case = world.open_case()
    resp = as_user(client, world.officer).post(f"/cases/{case.pk}/parties/add/",
                                               _party_post(id_number="²1010519491231002X"))
    assert resp.status_code == 400
    assert Party.objects.count() == 0


def test_add_party_then_case_page_shows_masked_id(client, world):
    case = world.open_case()
    as_user(client, world.officer)
    resp = client.post(f"/cases/{case.pk}/parties/add/", _party_post(id_number="11010519491231002x"))
    assert resp.status_code == 302 and resp["Location"] == f"/cases/{case.pk}/"
    party = Party.objects.get()
    assert party.id_number == PERSON_ID and party.added_by == world.officer
    body = text(client.get(f"/cases/{case.pk}/"))
    assert "110105********002X" in body
    assert PERSON_ID not in body
    assert "138****5678" in body and "13812345678" not in body


def test_add_party_form_forbidden_to_other_unit(client, world):
    case = world.open_case()
    resp = as_user(client, world.outsider).post(f"/cases/{case.pk}/parties/add/", _party_post())
    assert resp.status_code == 404  # a case they may not see answers as one that does not exist
    assert Party.objects.count() == 0


# ---- access refusal -------------------------------------------------------------------------

def test_other_unit_officer_gets_404_and_it_is_logged(client, world):
    case = world.open_case()
    resp = as_user(client, world.outsider).get(f"/cases/{case.pk}/")
    assert resp.status_code == 404  # as for a case that does not exist: ids cannot be enumerated
    body = text(resp)
    assert "页面不存在" in body
    assert case.number not in body and case.title not in body
    entry = Entry.objects.get(action="access.denied")
    assert entry.actor_id == world.outsider.pk
    ev = event_of(entry)
    assert ev["object"]["type"] == "case" and ev["object"]["id"] == str(case.pk)
    assert ev["detail"] == {"method": "GET", "path": f"/cases/{case.pk}/", "status": 404}


def test_sysadmin_cannot_see_case_page(client, world):
    case = world.open_case()
    resp = as_user(client, world.sysadmin).get(f"/cases/{case.pk}/")
    assert resp.status_code == 404
    assert Entry.objects.filter(action="access.denied", actor_id=world.sysadmin.pk).count() == 1


@pytest.mark.parametrize("who,can_work", [("officer", True), ("unit_head", True), ("officer3", False),
                                          ("agency_head", False), ("reviewer", False)])
def test_case_page_for_those_who_may_see_it(client, world, who, can_work):
    case = world.open_case()
    resp = as_user(client, getattr(world, who)).get(f"/cases/{case.pk}/")
    assert resp.status_code == 200
    body = text(resp)
    assert case.number in body
    # Registering a party is an officer's act with a 执法证: the unit head (none in World) works on the
    # case as a leader and is not offered it.
    assert (f"/cases/{case.pk}/parties/add/" in body) is (can_work and who != "unit_head")
    assert ("进入下一阶段" in body) is can_work


@pytest.mark.pages_only
def test_missing_case_is_404(client, world):
    resp = as_user(client, world.officer).get("/cases/999999/")
    assert resp.status_code == 404
    assert "页面不存在" in text(resp)


# ---- stage moves --------------------------------------------------------------------------

def test_advance_with_blockers_is_409(client, world):
    case = world.open_case()
    resp = as_user(client, world.officer).post(f"/cases/{case.pk}/advance/", {"note": ""})
    assert resp.status_code == 409
    body = text(resp)
    assert "不能进入下一阶段" in body and "程序启动审批表" in body and "尚未登记当事人" in body
    case.refresh_from_db()
    assert case.stage == Stage.START
    assert case.transitions.count() == 1
    assert not Entry.objects.filter(action="case.transition").exists()


def test_advance_get_not_allowed(client, world):
    case = world.open_case()
    assert as_user(client, world.officer).get(f"/cases/{case.pk}/advance/").status_code == 405


def test_advance_by_outsider_is_404(client, world):
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    resp = as_user(client, world.outsider).post(f"/cases/{case.pk}/advance/")
    assert resp.status_code == 404
    assert Case.objects.get(pk=case.pk).stage == Stage.START


def test_advance_when_ready(client, world):
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    resp = as_user(client, world.officer).post(f"/cases/{case.pk}/advance/", {"note": "批准"}, follow=True)
    assert resp.status_code == 200
    assert "已进入调查取证阶段" in text(resp)
    assert Case.objects.get(pk=case.pk).stage == Stage.INVESTIGATION
    assert event_of(Entry.objects.get(action="case.transition"))["detail"]["note"] == "批准"


def test_send_back_without_reason_keeps_stage(client, world):
    case = to_decision(world)
    resp = as_user(client, world.officer).post(f"/cases/{case.pk}/send-back/", {"reason": ""}, follow=True)
    assert "退回补充调查必须说明理由" in text(resp)
    assert Case.objects.get(pk=case.pk).stage == Stage.DECISION
    resp = client.post(f"/cases/{case.pk}/send-back/", {"reason": "补充勘验"}, follow=True)
    assert "已退回调查取证阶段" in text(resp)
    assert Case.objects.get(pk=case.pk).stage == Stage.INVESTIGATION
