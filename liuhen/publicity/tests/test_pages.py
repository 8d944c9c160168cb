"""The staff's 公示 pages (issue 20 §2-§5): the workbench (待公示 with the clock, 待审核, 待批准, 公示中, 应撤回,
公众意见, 事前公开, 年度执法数据), a version (the served text with each redaction marked — a logged read — and
隐去, 审核, 批准), an entry (更正, 撤回, 提前撤下, 答复), new 事前公开 content, 不予公开, the case card, the 公示
section of 我的待办, the nav entry. Each role does its own step; the others get 403."""
import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liuhen.ledger.models import Entry as LogEntry
from liuhen.oversight.todo import todo_for
from liuhen.publicity import forms
from liuhen.publicity import selectors as s
from liuhen.publicity import services
from liuhen.publicity import vocabulary as v
from liuhen.publicity import work_selectors as ws
from liuhen.publicity.models import Comment, Entry, Exemption, Step, StepKind, Version
from liuhen.testing.cases import archivist
from liuhen.testing.publicity import ALL_CHECKS, FACTS_WITH_PEOPLE, issued_decision, publish, published_content
from liuhen.testing.otp import login_verified
from liuhen.testing.publicity_pages_scene import scene_fixture

pytestmark = pytest.mark.django_db

CHECKS = [code for code in ALL_CHECKS]

# Scenes built once per run and restored for each test that starts from one (liuhen.testing.demo): a world with
# issued_decision(world); that decision drafted by the officer; the same with facts=FACTS_WITH_PEOPLE;
# published_decision(world).
issued = scene_fixture("issued", "issued_scene")
drafted = scene_fixture("drafted", "drafted_scene")
drafted_with_people = scene_fixture("drafted_with_people", "drafted_with_people_scene")
published = scene_fixture("published", "published_scene")


def test_the_workbench_lists_a_decision_to_publish_with_its_clock_and_the_officer_drafts_it(client, issued):
    world, case, doc = issued.world, issued.case, issued.doc
    login_verified(client, world.officer)
    page = client.get(reverse("publicity:index")).content.decode()
    assert "待公示" in page and case.number in page and doc.number.text in page
    assert "拟定公示稿" in page and "个工作日" in page  # the clock in working days
    row = ws.to_publish(world.agency)[0]
    assert row.case == case and row.clock is not None and row.clock.due is not None and not row.clock.overdue
    response = client.post(reverse("publicity:draft", args=[case.pk]))
    version = Version.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("publicity:version", args=[version.pk])
    assert ws.to_publish(world.agency) == []  # now 待审核, not 待公示


def test_a_decision_past_its_deadline_is_shown_overdue_in_words(client, issued):
    world = issued.world
    later = datetime.date.today() + datetime.timedelta(days=60)
    row = ws.to_publish(world.agency, today=later)[0]
    assert row.clock.overdue and row.clock.text.startswith("已逾期")
    login_verified(client, world.officer)
    assert ws.to_publish(world.agency)[0].clock.left >= 0


def test_the_version_page_marks_each_redaction_and_logs_the_read(client, drafted_with_people):
    world, version = drafted_with_people.world, drafted_with_people.version
    login_verified(client, world.reviewer)
    before = LogEntry.objects.filter(action=v.VIEW).count()
    page = client.get(reverse("publicity:version", args=[version.pk])).content.decode()
    assert "<mark" in page and "身份证号码" in page and "210502199003071234" in page
    assert LogEntry.objects.filter(action=v.VIEW).count() == before + 1
    assert 'id="pub-review"' in page and 'id="pub-redact"' in page and 'id="pub-approve"' not in page
    # the published text never holds the ID number
    body = page.split('id="pub-body"')[1].split("</section>")[0]
    assert "210502199003071234" not in body


def test_a_supervisor_reads_the_pages_without_the_served_text(client, drafted_with_people):
    from liuhen.testing.archive import supervisor

    world, version = drafted_with_people.world, drafted_with_people.version
    login_verified(client, supervisor(world))
    before = LogEntry.objects.filter(action=v.VIEW).count()
    page = client.get(reverse("publicity:version", args=[version.pk])).content.decode()
    assert page.count("210502199003071234") == 0 and 'id="pub-source"' not in page
    assert 'id="pub-review"' not in page and 'id="pub-redact"' not in page
    assert LogEntry.objects.filter(action=v.VIEW).count() == before


def test_reviewer_redacts_and_reviews_then_the_head_approves_and_it_is_live(client, drafted_with_people):
    world, version = drafted_with_people.world, drafted_with_people.version
    login_verified(client, world.officer)  # the drafter removes what the finder did not know (a witness)
    response = client.post(reverse("publicity:redact", args=[version.pk]), {"fragment": "李四", "category": "person_name"})
    second = Version.objects.get(n=2)
    login_verified(client, world.reviewer)
    assert response.status_code == 302 and response["Location"] == reverse("publicity:version", args=[second.pk])
    assert "李四" not in second.body and "李某某" in second.body
    response = client.post(reverse("publicity:review", args=[second.pk]),
                           {"checks": CHECKS, "passed": "1", "opinion": ""})
    assert response.status_code == 302 and s.version_state(second) == s.REVIEWED
    login_verified(client, world.agency_head)
    page = client.get(reverse("publicity:index")).content.decode()
    assert 'id="pub-to-approve"' in page and second.title in page
    page = client.get(reverse("publicity:version", args=[second.pk])).content.decode()
    assert 'id="pub-approve"' in page
    response = client.post(reverse("publicity:approve", args=[second.pk]), {"passed": "1", "opinion": "同意"})
    assert response.status_code == 302 and s.status(second.entry) == s.LIVE
    page = client.get(reverse("publicity:index")).content.decode()
    assert second.entry.number in page.split('id="pub-live"')[1].split("</section>")[0]


def test_a_review_returned_puts_the_case_back_to_publish(client, drafted):
    world, case, version = drafted.world, drafted.case, drafted.version
    login_verified(client, world.reviewer)
    response = client.post(reverse("publicity:review", args=[version.pk]), {"passed": "0", "opinion": "文号有误"})
    assert response.status_code == 302 and s.version_state(version) == s.RETURNED
    rows = ws.to_publish(world.agency)
    assert [r.case for r in rows] == [case] and rows[0].returned


def test_each_role_does_only_its_step(client, drafted):
    world, case, version = drafted.world, drafted.case, drafted.version
    login_verified(client, world.officer)  # the drafter: no review
    assert client.post(reverse("publicity:review", args=[version.pk]),
                       {"checks": CHECKS, "passed": "1"}).status_code == 403
    login_verified(client, world.reviewer)  # the reviewer: no approval
    services.review(world.reviewer, version, passed=True, checks=ALL_CHECKS)
    assert client.post(reverse("publicity:approve", args=[version.pk]), {"passed": "1"}).status_code == 403
    assert not Step.objects.filter(kind=StepKind.APPROVE).exists()
    login_verified(client, world.sysadmin)  # the administrators see no case content
    assert client.get(reverse("publicity:index")).status_code == 403
    assert client.get(reverse("publicity:version", args=[version.pk])).status_code == 403
    login_verified(client, archivist(world))
    assert client.get(reverse("publicity:index")).status_code == 403
    assert client.post(reverse("publicity:draft", args=[case.pk])).status_code == 403


def test_an_entry_of_another_agency_is_a_404(client, published):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    world, entry, version = published.world, published.entry, published.version
    other = acc.create_agency(None, name="另一局", short_name="另")
    stranger = acc.create_user(None, username="other", full_name="外机关", password=world.PASSWORD, agency=other,
                               roles=[Role.AGENCY_HEAD])
    login_verified(client, stranger)
    assert client.get(reverse("publicity:entry", args=[entry.number])).status_code == 404
    assert client.get(reverse("publicity:version", args=[version.pk])).status_code == 404


def test_the_entry_page_withdraws_with_a_public_reason_and_replies_to_a_comment(client, published):
    world, entry = published.world, published.entry
    comment = services.comment(entry, kind="objection", text="罚款金额有误")
    login_verified(client, world.agency_head)
    page = client.get(reverse("publicity:entry", args=[entry.number])).content.decode()
    assert "公示中" in page and 'id="pub-withdraw"' in page and "罚款金额有误" in page
    response = client.post(reverse("publicity:reply", args=[comment.pk]), {f"r{comment.pk}-text": "经核实无误。"})
    assert response.status_code == 302 and Comment.objects.get().reply.text == "经核实无误。"
    response = client.post(reverse("publicity:withdraw", args=[entry.number]), {"reason": "原决定经复议被撤销"})
    assert response.status_code == 302 and s.status(entry) == s.WITHDRAWN
    page = client.get(reverse("publicity:entry", args=[entry.number])).content.decode()
    assert "已撤回" in page and "原决定经复议被撤销" in page


def test_a_correction_is_drafted_from_the_entry_and_the_earlier_text_stays(client, world):
    entry = published_content(world).entry
    login_verified(client, world.officer)
    page = client.get(reverse("publicity:entry", args=[entry.number])).content.decode()
    assert 'id="pub-revise"' in page and 'id="pub-withdraw"' not in page
    live = s.live_version(entry)
    # the form's fields follow the stored summary's order (PostgreSQL's jsonb keeps its own key order)
    labels = forms.ReviseForm(version=live).labels
    data = {"reason": "办理时限调整", "body": "办理时限缩短",
            **{f"s{i}": ("15个工作日" if label == "办理时限" else live.summary[label]) for i, label in enumerate(labels)}}
    response = client.post(reverse("publicity:revise", args=[entry.number]), data)
    second = Version.objects.get(entry=entry, n=2)
    assert response.status_code == 302 and second.summary["办理时限"] == "15个工作日" and second.reason == "办理时限调整"
    assert s.live_version(entry).n == 1  # the earlier text stays live until the correction is approved
    page = client.get(reverse("publicity:entry", args=[entry.number])).content.decode()
    assert "第 1 稿" in page and "第 2 稿" in page


def test_new_content_of_each_kind_is_drafted_from_its_fields(client, world):
    login_verified(client, world.officer)
    page = client.get(reverse("publicity:new", args=["matter"])).content.decode()
    for label in ("事项名称", "法规依据", "办理条件", "办理程序", "办理时限"):
        assert label in page
    response = client.post(reverse("publicity:new", args=["matter"]),
                           {"s0": "取水许可", "s1": "《取水许可和水资源费征收管理条例》", "s2": "符合条件", "s3": "申请—审查",
                            "s4": "20个工作日"})
    version = Version.objects.get()
    assert response.status_code == 302 and version.title == "取水许可" and version.summary["事项名称"] == "取水许可"
    response = client.post(reverse("publicity:new", args=["channel"]),
                           {"s0": "12345热线", "s1": "电话", "s2": "执法投诉", "s3": "15个工作日"})
    assert response.status_code == 302 and Entry.objects.filter(kind="channel").count() == 1
    response = client.post(reverse("publicity:new", args=["agency"]),
                           {"title": "机关信息", "s0": "内设三科", "s1": "水行政执法", "s2": "", "s3": "工作日"})
    assert response.status_code == 302
    assert client.get(reverse("publicity:new", args=["decision"])).status_code == 404
    page = client.get(reverse("publicity:index")).content.decode()
    assert "取水许可" in page and "12345热线" in page


def test_the_head_exempts_a_case_from_publication(client, issued):
    world, case = issued.world, issued.case
    login_verified(client, world.officer)
    assert client.get(reverse("publicity:exempt", args=[case.pk])).status_code == 403
    login_verified(client, world.agency_head)
    response = client.post(reverse("publicity:exempt", args=[case.pk]), {"ground": "trade_secret", "note": "涉及工艺配方"})
    assert response.status_code == 302 and Exemption.objects.get().ground == "trade_secret"
    assert ws.to_publish(world.agency) == []
    card = ws.case_card(world.agency_head, case)
    assert card.label == "不予公开" and "涉及工艺配方" in card.why


def _card(response) -> str:
    return response.content.decode().split('id="case-publicity"')[1].split('<div class="card"')[0]


def test_the_case_card_follows_the_publication(client, issued):
    world, case = issued.world, issued.case
    login_verified(client, world.officer)
    url = reverse("cases:detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert 'id="case-publicity"' in page and "待拟稿" in page and reverse("publicity:draft", args=[case.pk]) in page
    version = services.draft_decision(world.officer, case)
    assert "待审核" in _card(client.get(url))
    publish(world, version)
    card = _card(client.get(url))
    assert "公示中至" in card and version.entry.number in card


def test_the_case_card_is_absent_without_an_issued_decision(client, world):
    from liuhen.testing.cases import to_decision

    case = to_decision(world)
    login_verified(client, world.officer)
    assert 'id="case-publicity"' not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_case_card_costs_the_same_queries_whatever_the_entry_holds(client, issued):
    world, case = issued.world, issued.case
    version = services.draft_decision(world.officer, case)
    login_verified(client, world.officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            ws.case_card(world.officer, case)
        return len(ctx.captured_queries)

    count()
    one = count()
    second = services.add_redaction(world.officer, version, "当事人", "other")
    services.add_redaction(world.officer, second, "决定书", "other")
    assert count() == one  # three versions cost what one did
    published = publish(world, Version.objects.get(n=3))
    count()
    live = count()
    services.comment(published.entry, kind="comment", text="好")
    services.revise(world.officer, published.entry, reason="更正摘要")
    assert count() <= live + 1


def test_my_todo_has_a_publicity_section_for_each_role(issued):
    world, case = issued.world, issued.case
    section = todo_for(world.officer).section("publicity")
    assert section is not None and [i.case for i in section.items] == [case]
    version = services.draft_decision(world.officer, case)
    assert [i.title for i in todo_for(world.reviewer).section("publicity").items] == [f"待审核：{version.title}"]
    services.review(world.reviewer, version, passed=True, checks=ALL_CHECKS)
    assert [i.title for i in todo_for(world.agency_head).section("publicity").items] == [f"待批准：{version.title}"]
    assert todo_for(world.officer).section("publicity").items == []
    assert todo_for(world.outsider).section("publicity").items == []  # another unit's case


def test_the_nav_shows_publicity_to_the_roles(client, world):
    login_verified(client, world.officer)
    assert 'href="/publicity/"' in client.get(reverse("publicity:index")).content.decode()
    login_verified(client, archivist(world))
    assert 'href="/publicity/"' not in client.get(reverse("oversight:todo")).content.decode()


def test_the_served_text_read_is_logged_without_the_text(client, drafted_with_people):
    world, version = drafted_with_people.world, drafted_with_people.version
    login_verified(client, world.officer)
    client.get(reverse("publicity:version", args=[version.pk]))
    event = LogEntry.objects.filter(action=v.VIEW).latest("id")
    leaf = bytes(event.leaf).decode()
    assert event.object_id == str(version.pk) and "210502" not in leaf and "王五" not in leaf


def test_the_statistics_page_drafts_last_years_figures(client, world):
    login_verified(client, world.officer)
    year = datetime.date.today().year - 1
    assert client.get(reverse("publicity:statistics", args=[year])).status_code == 200
    response = client.post(reverse("publicity:statistics", args=[year]))
    assert response.status_code == 302 and Entry.objects.get(kind="statistics").year == year
    page = client.get(reverse("publicity:index")).content.decode().split('id="pub-statistics"')[1]
    assert "待发布" in page.split("</section>")[0]
    this_year = datetime.date.today().year
    before = Version.objects.count()
    response = client.post(reverse("publicity:statistics", args=[this_year]))
    assert response.status_code == 400 and "尚未结束" in response.content.decode() and Version.objects.count() == before


def test_the_export_is_a_logged_read(client, published):
    world = published.world  # published_decision(world)
    login_verified(client, world.agency_head)
    response = client.get(reverse("publicity:export", args=["csv"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert LogEntry.objects.filter(action=v.EXPORT).count() == 1
    leaf = json.loads(bytes(LogEntry.objects.get(action=v.EXPORT).leaf).decode())
    assert '"count": 1' in json.dumps(leaf) and response.content.decode("utf-8-sig").count("\n") >= 2
    for fmt in ("xlsx", "json"):
        assert client.get(reverse("publicity:export", args=[fmt])).status_code == 200
    login_verified(client, world.sysadmin)
    assert client.get(reverse("publicity:export", args=["csv"])).status_code == 403


def test_the_reviewer_redacts_then_reviews(drafted_with_people):
    """A reviewer who only removed more (a new version by add_redaction) is not the drafter (LW-P 5)."""
    world, version = drafted_with_people.world, drafted_with_people.version
    second = services.add_redaction(world.reviewer, version, "李四", "person_name")
    assert s.authors(second) == (world.officer.pk, {world.officer.pk, world.reviewer.pk})
    services.review(world.reviewer, second, passed=True, checks=ALL_CHECKS)


def test_a_drafter_does_not_review_their_text_because_another_removed_more(world):
    case, _ = issued_decision(world, facts=FACTS_WITH_PEOPLE)
    version = services.draft_decision(world.reviewer, case)  # 法制审核 may draft too (draft_roles)
    second = services.add_redaction(world.officer, version, "李四", "person_name")
    with pytest.raises(PermissionDenied):
        services.review(world.reviewer, second, passed=True, checks=ALL_CHECKS)
    assert not Step.objects.filter(version=second).exists()


def test_a_revoked_decision_is_to_withdraw_within_three_working_days(client, published):
    from liuhen.documents.services import revoke_document

    world, case, entry, version = published.world, published.case, published.entry, published.version
    revoke_document(world.agency_head, version.document, "经行政复议，原决定被撤销")
    rows = ws.to_withdraw(world.agency)
    assert [r.entry for r in rows] == [entry] and rows[0].clock.period == "3个工作日" and not rows[0].clock.overdue
    late = ws.to_withdraw(world.agency, today=datetime.date.today() + datetime.timedelta(days=20))
    assert late[0].clock.overdue and "逾期" in late[0].clock.text
    login_verified(client, world.agency_head)
    page = client.get(reverse("publicity:index")).content.decode().split('id="pub-to-withdraw"')[1]
    assert entry.number in page.split("</section>")[0]
    assert [i.title for i in todo_for(world.agency_head).section("publicity").items] == [f"应撤回：{entry.number}"]
    services.withdraw(world.agency_head, entry, "原决定经复议被撤销")
    assert ws.to_withdraw(world.agency) == []
    assert ws.case_card(world.officer, case).label == "已撤回"


def test_a_warning_is_not_published_and_the_card_says_why(client, world):
    from liuhen.testing.cases import notify, to_decision

    case = to_decision(world)
    warning = {"penalty_kind": "警告", "fine_amount": None, "confiscation_amount": None}
    notify(world, case, warning)
    case, doc = issued_decision(world, case, **warning)
    assert ws.to_publish(world.agency) == []
    card = ws.case_card(world.officer, case)
    assert card.label == "不公示" and card.why and not card.may_draft


def test_the_live_list_is_paged_and_a_content_version_page_has_no_served_text(client, world, monkeypatch):
    first = published_content(world).entry
    second = published_content(world, "channel", title="12345热线", summary={"渠道名称": "12345热线"}).entry
    monkeypatch.setattr(ws, "PAGE_SIZE", 1)
    login_verified(client, world.officer)
    one = client.get(reverse("publicity:index")).content.decode().split('id="pub-live"')[1].split("</section>")[0]
    two = client.get(reverse("publicity:index") + "?page=2").content.decode().split('id="pub-live"')[1]
    two = two.split("</section>")[0]
    assert second.number in one and first.number not in one and first.number in two and "第 2 / 2 页" in two
    page = client.get(reverse("publicity:version", args=[s.live_version(first).pk])).content.decode()
    assert 'id="pub-source"' not in page and "河道管理范围内建设项目许可" in page and "已发布" in page


def test_the_list_to_publish_costs_the_same_queries_for_one_case_or_three(issued):
    world = issued.world  # issued_decision(world)

    def look():
        with CaptureQueriesContext(connection) as ctx:
            rows = ws.to_publish(world.agency)
        return len(ctx.captured_queries), len(rows)

    def count():
        # the working-day calendar checks now and then whether it was reloaded (one query, not per row):
        # the cheapest of three looks is compared
        return min(look() for _ in range(3))

    one = count()
    issued_decision(world)
    issued_decision(world)
    three = count()
    assert (one[1], three[1]) == (1, 3) and three[0] == one[0]
