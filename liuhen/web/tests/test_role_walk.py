"""Defects found walking each role's day in a real browser (issue 12), checked over Django's test client.

- A link or button that can only lead to a refusal is not offered: ＋ 新建案件 only to who may open a case.
- The pages keep to the Content-Security-Policy (style-src 'self'): no template carries a style attribute,
  which the browser would refuse to apply (the 负责人签署意见 form lost its layout that way).
"""
import re
from pathlib import Path

import pytest
from django.urls import reverse

import liuhen
from liuhen.testing.otp import verify_session
from liuhen.testing.world import World

NEW_CASE = reverse("cases:new")


def login(client, user):
    assert client.login(username=user.username, password=World.PASSWORD)
    verify_session(client, user)  # an administrator's second factor (liuhen/accounts/otp.py)


def new_case_links(html: str) -> int:
    return len(re.findall(rf'href="{re.escape(NEW_CASE)}"', html))


@pytest.mark.django_db
def test_new_case_offered_to_an_officer_with_a_certificate_and_a_unit_head(client, world):
    for user in (world.officer, world.unit_head):
        login(client, user)
        html = client.get(reverse("cases:mine")).content.decode()
        assert new_case_links(html) == 2, user.username  # the navigation and the ＋ 新建案件 button


@pytest.mark.django_db
def test_new_case_not_offered_to_who_would_only_be_refused(client, world):
    for user in (world.reviewer, world.agency_head, world.expired):
        login(client, user)
        html = client.get(reverse("cases:mine")).content.decode()
        assert new_case_links(html) == 0, user.username
        # The page itself still says why, for whoever follows an old link.
        assert "您目前不能立案" in client.get(NEW_CASE).content.decode()


@pytest.mark.django_db
def test_an_officer_without_a_valid_certificate_is_told_why_on_the_case_list(client, world):
    login(client, world.expired)
    html = client.get(reverse("cases:mine")).content.decode()
    assert "您没有有效的行政执法证" in html


@pytest.mark.django_db
def test_no_new_case_link_for_the_system_administrator(client, world):
    login(client, world.sysadmin)
    response = client.get(reverse("accounts:password_change"))
    assert new_case_links(response.content.decode()) == 0


def test_no_template_carries_an_inline_style():
    # CSP style-src 'self' (liuhen.settings): an inline style attribute is not applied, and the browser
    # reports a violation in the console. Styles belong in liuhen.css.
    root = Path(liuhen.__file__).resolve().parent
    offenders = [str(p.relative_to(root)) for p in root.rglob("templates/**/*.html")
                 if re.search(r"\sstyle\s*=", p.read_text(encoding="utf-8"))]
    assert offenders == []


# ---- each administrator lands on their own screen, not on an empty case list ----------------------


def login_post(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": World.PASSWORD})


@pytest.mark.django_db
def test_login_takes_each_role_to_its_first_page(client, world):
    from liuhen.testing.accounts import audit_admin, security_admin

    expected = [(world.officer, "/oversight/todo/"), (world.unit_head, "/oversight/todo/"), (world.sysadmin, "/admin/"),
                (security_admin(world), "/admin/"), (audit_admin(world), "/audit/")]
    for user, first in expected:
        response = login_post(client, user)
        assert response.status_code == 302 and response["Location"] == first, user.username
        verify_session(client, user)  # an administrator then passes the second factor
        assert client.get("/")["Location"] == first, user.username
        client.logout()


@pytest.mark.django_db
def test_login_still_follows_next(client, world):
    response = client.post(reverse("login") + "?next=/account/password/",
                           {"username": world.sysadmin.username, "password": World.PASSWORD})
    assert response["Location"] == "/account/password/"


@pytest.mark.django_db
def test_navigation_of_the_administrators(client, world):
    from liuhen.testing.accounts import audit_admin

    login(client, world.sysadmin)
    html = client.get(reverse("accounts:password_change")).content.decode()
    assert 'href="/admin/">系统配置' in html and ">我的案件<" not in html
    client.logout()
    login(client, audit_admin(world))
    html = client.get(reverse("audit:search")).content.decode()
    assert ">审计日志<" in html and ">我的案件<" not in html and "系统配置" not in html
    client.logout()
    login(client, world.officer)
    html = client.get(reverse("cases:mine")).content.decode()
    assert ">我的案件<" in html and "系统配置" not in html


# ---- a record a 负责人 sent back says so wherever the officer meets it -------------------------------


def returned_start_approval(world, decision="退回"):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType

    case = world.open_case()
    approval = records.create_record(world.officer, case, RecordType.objects.get(code="start_approval"), {
        "reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"})
    records.sign_as_officer(world.officer, approval)
    records.sign_as_leader(world.unit_head, approval, decision=decision, opinion="证据不足，请补充。")
    return case, approval


@pytest.mark.django_db
@pytest.mark.parametrize("decision, label", [("退回", "已退回"), ("不同意", "未获同意")])
def test_a_refused_record_is_not_shown_as_still_being_signed(client, world, decision, label):
    case, approval = returned_start_approval(world, decision)
    login(client, world.officer)
    for url in (reverse("cases:detail", args=[case.pk]), reverse("records:detail", args=[approval.pk])):
        html = client.get(url).content.decode()
        assert f'<span class="badge badge-bad">{label}</span>' in html, url
        assert "签字中" not in html, url


# ---- the record page says who signs next --------------------------------------------------------


def start_approval_signed_by_officer(world):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType

    case = world.open_case()
    approval = records.create_record(world.officer, case, RecordType.objects.get(code="start_approval"), {
        "reason": "日常巡查发现违法嫌疑。", "party": "王建国", "handler_opinion": "建议立案调查。"})
    records.sign_as_officer(world.officer, approval)
    return approval


@pytest.mark.django_db
def test_the_record_page_names_who_may_give_the_missing_signature(client, world):
    approval = start_approval_signed_by_officer(world)
    login(client, world.officer)
    html = client.get(reverse("records:detail", args=[approval.pk])).content.decode()
    # 程序启动审批表: any 负责人 — the unit's head or the agency head; not the reviewer, not an officer.
    assert "负责人签字：可由 陈队长（承办机构负责人）、刘局长（机关负责人） 签署" in html
    assert "法制审核员（" not in html


@pytest.mark.django_db
def test_a_penalty_approval_names_only_the_agency_head(client, world):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill, to_decision

    case = to_decision(world)
    rt = RecordType.objects.get(code="leader_approval")
    approval = records.create_record(world.officer, case, rt, fill(rt))
    login(client, world.officer)
    html = client.get(reverse("records:detail", args=[approval.pk])).content.decode()
    assert "机关负责人签字：可由 刘局长（机关负责人） 签署" in html
    assert "陈队长" not in html


@pytest.mark.django_db
def test_nobody_is_named_once_a_leader_sent_it_back(client, world):
    case, approval = returned_start_approval(world)
    login(client, world.officer)
    html = client.get(reverse("records:detail", args=[approval.pk])).content.decode()
    assert "签字：可由" not in html


# ---- the 新增记录 list opens on the record the stage still needs -----------------------------------


def selected_type(html: str) -> str:
    match = re.search(r'<option value="([a-z_]+)" selected>', html)
    return match.group(1) if match else ""


@pytest.mark.django_db
def test_new_record_list_opens_on_what_the_stage_still_needs(client, world):
    from liuhen.testing.cases import add_person, make_record

    login(client, world.officer)
    emergency = world.open_case(start_mode="emergency", kind="coercion", title="河道阻水障碍物紧急清除")
    add_person(world, emergency)
    url = reverse("cases:detail", args=[emergency.pk])
    assert selected_type(client.get(url).content.decode()) == "emergency_start_approval"
    ordinary = world.open_case()
    url = reverse("cases:detail", args=[ordinary.pk])
    assert selected_type(client.get(url).content.decode()) == "start_approval"
    # Once begun, it is not suggested again: the list opens as it always did.
    make_record(world, ordinary, "start_approval")
    assert selected_type(client.get(url).content.decode()) == ""


@pytest.mark.django_db
def test_a_signature_is_named_by_the_capacity_the_rule_asked_for(client, world):
    from liuhen.records import services as records
    from liuhen.records.models import RecordType
    from liuhen.testing.cases import fill, to_decision

    case = to_decision(world)
    rt = RecordType.objects.get(code="leader_approval")
    approval = records.create_record(world.officer, case, rt, fill(rt))
    records.sign_as_leader(world.agency_head, approval, opinion="同意。")
    login(client, world.officer)
    html = client.get(reverse("records:detail", args=[approval.pk])).content.decode()
    assert "<strong>机关负责人：刘局长</strong>" in html
    # A record any 负责人 may approve keeps the general name.
    _, returned = returned_start_approval(world)
    html = client.get(reverse("records:detail", args=[returned.pk])).content.decode()
    assert "<strong>负责人：陈队长</strong>" in html and "<strong>执法人员：张明</strong>" in html


# ---- a party's history says what a correction changed -----------------------------------------------


@pytest.mark.django_db
def test_party_history_says_what_each_correction_changed(client, world):
    from liuhen.cases import services as cases

    case = world.open_case()
    party = cases.add_party(world.officer, case, kind="person", name="王建华", id_number="11010519491231002X",
                            phone="13800000000", address="本溪市平山区")
    corrected = cases.correct_party(world.officer, party, reason="地址记录不全", kind="person", name="王建华",
                                    id_number="11010519491231002X", phone="13800000000",
                                    address="本溪市平山区胜利路1号")
    login(client, world.officer)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "更正前 地址：本溪市平山区" in html
    assert "13800000000" not in html and "11010519491231002X" not in html  # masked, as everywhere
    html = client.get(reverse("cases:correct_party", args=[case.pk, corrected.pk])).content.decode()
    assert "更正前 地址：本溪市平山区" in html


@pytest.mark.django_db
def test_the_configuration_admin_greets_by_name(client, world):
    login(client, world.sysadmin)
    html = client.get("/admin/").content.decode()
    assert "<strong>系统管理员</strong>" in html and "<strong>sys</strong>" not in html


@pytest.mark.django_db
def test_an_error_page_does_not_offer_an_administrator_their_cases(client, world):
    from liuhen.testing.accounts import audit_admin

    login(client, audit_admin(world))
    response = client.post("/cases/new/", {"title": "x"}, HTTP_REFERER="http://testserver/audit/")
    html = response.content.decode()
    assert response.status_code == 403 and 'href="/">首页</a>' in html and "我的案件" not in html
    client.logout()
    login(client, world.reviewer)
    response = client.post("/cases/new/", {"title": "x"}, HTTP_REFERER="http://testserver/cases/")
    assert response.status_code == 403 and 'href="/">我的案件</a>' in response.content.decode()


@pytest.mark.django_db
def test_new_record_not_offered_to_a_unit_head_without_a_certificate(client, world):
    case = world.open_case()
    url = reverse("cases:detail", args=[case.pk])
    login(client, world.unit_head)  # 承办机构负责人 of the case's unit, no 执法证
    html = client.get(url).content.decode()
    assert "＋ 新增记录" not in html
    # Following an old link still says why.
    response = client.get(reverse("records:new", args=[case.pk]) + "?type=start_approval")
    assert response.status_code == 403 and "执法证" in response.content.decode()
    client.logout()
    login(client, world.officer)
    assert "＋ 新增记录" in client.get(url).content.decode()


@pytest.mark.django_db
def test_party_actions_not_offered_to_a_unit_head_without_a_certificate(client, world):
    from liuhen.testing.cases import add_person

    case = world.open_case()
    add_person(world, case)
    party = case.parties.get()
    url = reverse("cases:detail", args=[case.pk])
    correct = reverse("cases:correct_party", args=[case.pk, party.pk])
    add = reverse("cases:add_party", args=[case.pk])
    login(client, world.unit_head)
    html = client.get(url).content.decode()
    assert correct not in html and add not in html
    client.logout()
    login(client, world.officer)
    html = client.get(url).content.decode()
    assert correct in html and add in html


@pytest.mark.django_db
def test_send_back_asks_for_its_reason_before_it_is_sent(client, world):
    from liuhen.testing.cases import to_decision

    case = to_decision(world)
    login(client, world.officer)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert re.search(r'<input type="text" name="reason"[^>]* required', html)
