"""我的待办 for the legal review (issue 17): the reviewer's open 送审 with the clock's due date (red
once overdue, paused while waiting for materials), the heads' extension requests and disagreements
awaiting a ruling, the officers' material requests — each linking to the review's page."""
import datetime

import pytest
from django.utils import timezone

from liuhen.legalreview import clock as lr_clock
from liuhen.legalreview import services
from liuhen.oversight import todo
from liuhen.testing.cases import complete
from liuhen.testing.legalreview import points, qualify, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_home")]
DAY = datetime.timedelta(days=1)


def items(user, key, now=None):
    section = todo.todo_for(user, now).section(key)
    return None if section is None else section.items


def test_the_reviewer_sees_the_open_submission_with_its_due_date_red_once_overdue(world):
    sub = submitted(world)
    shown = items(world.reviewer, "review")
    assert len(shown) == 1  # the 送审, not also its 法制审核意见 record awaiting the signature
    item = shown[0]
    due = lr_clock.clock_of(sub).due_at
    assert item.url == todo.review_url(sub.pk) and item.url.endswith(f"/{sub.pk}/") and item.case == sub.case
    assert f"{timezone.localtime(due):%Y-%m-%d}" in item.detail and not item.red
    late = items(world.reviewer, "review", now=due + DAY)[0]
    assert late.red and "已逾期" in late.detail
    assert items(world.officer, "review") is None  # not a reviewer's list
    qualify(world)
    services.request_materials(world.reviewer, sub, what="补充营业执照复印件")
    paused = items(world.reviewer, "review", now=due + 30 * DAY)[0]
    assert not paused.red and "暂停计时" in paused.detail
    req = sub.requests.get()
    services.answer_request(world.officer, req, note="已补充")
    services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="同意。")
    assert items(world.reviewer, "review") == []


def test_the_head_sees_the_extension_request_and_the_disagreement_awaiting_a_ruling(world):
    sub = submitted(world)
    assert items(world.agency_head, "approve") == []
    req = services.request_extension(world.reviewer, sub, reason="案情复杂")
    shown = items(world.agency_head, "approve")
    assert [i.title for i in shown] == ["延长法制审核期限申请"] and shown[0].url == todo.review_url(sub.pk)
    assert items(world.unit_head, "approve") == []  # the profile names the agency head (LW-L 16)
    services.decide_extension(world.agency_head, req, approved=True)
    assert items(world.agency_head, "approve") == []
    qualify(world)
    review = services.review(world.reviewer, sub, points=points(law="裁量过重"), outcome="变更", opinion="建议从轻。")
    dis = services.disagree(world.officer, review, opinion="应按拟定决定办理。")
    assert [i.title for i in items(world.agency_head, "approve")] == ["法制审核意见分歧：待集体讨论决定"]
    minutes = complete(world, sub.case, "collective_discussion")
    services.rule(world.agency_head, dis, discussion=minutes, conclusion="follow_unit", opinion="按拟定决定办理。")
    assert items(world.agency_head, "approve") == []


def test_the_officers_of_the_case_see_the_material_request_until_they_answer(world):
    sub = submitted(world)
    qualify(world)
    assert items(world.officer, "materials") == []
    req = services.request_materials(world.reviewer, sub, what="补充现场照片", days=3)
    shown = items(world.officer, "materials")
    assert len(shown) == 1 and "补充现场照片" in shown[0].detail and shown[0].url == todo.review_url(sub.pk)
    assert f"{req.due_on:%Y-%m-%d}" in shown[0].detail and not shown[0].red
    assert len(items(world.officer2, "materials")) == 1  # every officer of the case
    assert items(world.outsider, "materials") == []  # another unit's officer
    services.answer_request(world.officer2, req, note="已补充现场照片三张")
    assert items(world.officer, "materials") == []


def test_the_page_shows_the_review_with_its_link(world, client):
    from django.urls import reverse

    sub = submitted(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("oversight:todo")).content.decode()
    assert 'id="todo-review"' in page and f'href="{todo.review_url(sub.pk)}"' in page
    assert "重大执法决定法制审核" in page and sub.case.number in page
