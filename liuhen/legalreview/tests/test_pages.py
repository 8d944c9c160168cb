"""The legal review's pages (issue 17 items 1-6): the case page's part and its acts, the reviewer's page,
待审核, the statistics, the 法律职业资格 register, the 法制审核意见书 — each page for its roles, each
form changing state through its service, each refusal answered 4xx in Chinese and recorded."""
import datetime
import io
import json

import pytest
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.legalreview import selectors as s
from liuhen.legalreview import services
from liuhen.legalreview import vocabulary as v
from liuhen.legalreview.models import (
    Assessment, Disagreement, ExtensionDecision, MaterialAnswer, MaterialRequest, Qualification, Review, Ruling,
    Submission,
)
from liuhen.legalreview.selectors import REVIEW_POINTS
from liuhen.testing.cases import complete
from liuhen.testing.legalreview import major_case, passed, points, qualify, submitted
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.django_db


def _events(action):
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=action).order_by("pk")]


def _case_page(client, case):
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def _review_post(outcome="同意", opinion="事实清楚，证据确凿，程序合法，同意。", **problems):
    data = {"outcome": outcome, "opinion": opinion}
    for pid, p in points(**problems).items():
        data[f"verdict_{pid}"], data[f"note_{pid}"] = p["verdict"], p["note"]
    return data


# ---- the case page: 认定 and 送审 -------------------------------------------------------------------

def test_the_handler_assesses_and_submits_from_the_case_page(client, world):
    case = major_case(world)
    login_verified(client, world.officer)
    page = _case_page(client, case)
    assert 'id="legal-review"' in page and "重大执法决定认定" in page and "属于重大执法决定" in page
    assert "责令停产停业" in page  # the criterion met, from the proposal's facts
    assert reverse("legalreview:assess", args=[case.pk]) in page
    assert "决定书（草稿）" in page and "调查终结报告" in page  # the package checklist
    response = client.post(reverse("legalreview:assess", args=[case.pk]), {"major": "1"})
    assert response.status_code == 302 and response.url.endswith("#legal-review")
    assert Assessment.objects.get(case=case).major
    page = _case_page(client, case)
    assert reverse("legalreview:submit", args=[case.pk]) in page and "尚未送法制审核" in page
    response = client.post(reverse("legalreview:submit", args=[case.pk]), {"note": "拟责令停产停业"})
    assert response.status_code == 302
    sub = Submission.objects.get(case=case)
    page = _case_page(client, case)
    assert "法制审核中" in page and "截止时间" in page and reverse("legalreview:submission", args=[sub.pk]) in page
    assert reverse("legalreview:submit", args=[case.pk]) not in page  # no second submission while pending


def test_a_conclusion_against_the_proposal_needs_a_reason(client, world):
    case = major_case(world)
    login_verified(client, world.officer)
    response = client.post(reverse("legalreview:assess", args=[case.pk]), {"major": "0"})
    assert response.status_code == 400 and "必须说明理由" in response.content.decode()
    assert not Assessment.objects.exists()
    [refused] = _events(v.REFUSED)
    assert refused["detail"]["act"] == "assess" and "reason_required" in refused["detail"]["codes"]
    response = client.post(reverse("legalreview:assess", args=[case.pk]), {"major": "0", "reason": "仅警告，另案处理。"})
    assert response.status_code == 302 and not Assessment.objects.get().major


def test_a_malformed_assessment_is_refused_and_recorded(client, world):
    case = major_case(world)
    login_verified(client, world.officer)
    response = client.post(reverse("legalreview:assess", args=[case.pk]), {"major": "1", "judged": ["no_such"]})
    assert response.status_code == 400 and not Assessment.objects.exists()
    [refused] = _events(v.REFUSED)
    assert refused["detail"]["fields"] == ["judged"] and refused["detail"]["status"] == 400


def test_an_incomplete_package_is_refused_409_with_what_is_missing(client, world):
    case = major_case(world, decision=False)
    services.assess(world.officer, case, major=True)
    login_verified(client, world.officer)
    page = _case_page(client, case)
    assert "缺" in page and reverse("legalreview:submit", args=[case.pk]) not in page
    response = client.post(reverse("legalreview:submit", args=[case.pk]))
    assert response.status_code == 409 and "决定书（草稿）" in response.content.decode()
    assert not Submission.objects.exists()
    assert _events(v.REFUSED)[-1]["detail"]["codes"] == ["incomplete"]


def test_only_the_cases_officers_assess(client, world):
    case = major_case(world)
    login_verified(client, world.unit_head)  # sees and works the unit's cases, but is not an officer of it
    assert reverse("legalreview:assess", args=[case.pk]) not in _case_page(client, case)
    response = client.post(reverse("legalreview:assess", args=[case.pk]), {"major": "1"})
    assert response.status_code == 403 and "承办人员" in response.content.decode()
    assert not Assessment.objects.exists() and _events(v.REFUSED)[-1]["detail"]["act"] == "assess"
    login_verified(client, world.outsider)  # another unit: the case is not there for them
    assert client.post(reverse("legalreview:assess", args=[case.pk]), {"major": "1"}).status_code == 404
    denied = _events("access.denied")[-1]["object"]
    assert (denied["type"], denied["id"]) == ("case", str(case.pk))
    assert client.post(reverse("legalreview:assess", args=[999999]), {"major": "1"}).status_code == 404


# ---- the reviewer's page ----------------------------------------------------------------------------

def test_the_reviewer_reviews_point_by_point(client, world):
    sub = submitted(world)
    qualify(world)
    login_verified(client, world.reviewer)
    response = client.get(reverse("legalreview:submission", args=[sub.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert all(label in page for _pid, label in REVIEW_POINTS) and page.count('value="存在问题"') == len(REVIEW_POINTS)
    assert "调查终结报告" in page and reverse("records:detail", args=[sub.package["items"][0]["records"][0]["id"]]) in page
    assert "要求补充材料" in page and "申请延长审核期限" in page and "截止时间" in page
    viewed = _events(v.VIEW)[-1]["object"]
    assert (viewed["type"], viewed["id"]) == ("case", str(sub.case_id))
    response = client.post(reverse("legalreview:review", args=[sub.pk]), _review_post())
    assert response.status_code == 302
    review = Review.objects.get(submission=sub)
    assert review.outcome == "同意" and len(review.points) == len(REVIEW_POINTS)
    assert s.status(sub.case).code == s.PASSED
    page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
    assert "法制审核通过" in page and 'id="review-form"' not in page and "按期完成" in page


def test_a_refused_review_shows_the_form_again_with_the_input(client, world):
    sub = submitted(world)
    qualify(world)
    login_verified(client, world.reviewer)
    data = _review_post(opinion="证据不足，同意。", facts="证据不足")
    response = client.post(reverse("legalreview:review", args=[sub.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and "不能选择“同意”" in page and "证据不足，同意。" in page
    data = {k: val for k, val in _review_post().items() if not k.startswith("verdict_crime")}
    response = client.post(reverse("legalreview:review", args=[sub.pk]), data)
    assert response.status_code == 400 and "尚未逐项审核" in response.content.decode()
    assert not Review.objects.exists()
    assert [e["detail"]["codes"] for e in _events(v.REFUSED)] == [["agree_with_problems"], ["points_missing"]]


def test_an_unqualified_or_wrong_reviewer_is_refused_403(client, world):
    sub = submitted(world)
    login_verified(client, world.reviewer)
    page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
    assert "法律职业资格尚未登记" in page
    response = client.post(reverse("legalreview:review", args=[sub.pk]), _review_post())
    assert response.status_code == 403 and "法律职业资格" in response.content.decode()
    login_verified(client, world.officer)  # sees the page, read-only; may not review
    page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
    assert 'id="review-form"' not in page and 'id="request-form"' not in page
    response = client.post(reverse("legalreview:review", args=[sub.pk]), _review_post())
    assert response.status_code == 403 and "法制审核人员" in response.content.decode()
    assert not Review.objects.exists() and len(_events(v.REFUSED)) == 2
    login_verified(client, world.outsider)
    assert client.get(reverse("legalreview:submission", args=[sub.pk])).status_code == 404
    assert client.get(reverse("legalreview:submission", args=[999999])).status_code == 404


def test_materials_requested_and_supplied(client, world):
    sub = submitted(world)
    login_verified(client, world.reviewer)
    response = client.post(reverse("legalreview:request", args=[sub.pk]), {"what": "现场检查笔录", "days": "3"})
    assert response.status_code == 302
    req = MaterialRequest.objects.get(submission=sub)
    page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
    assert "现场检查笔录" in page and 'id="review-form"' not in page and "暂停计时" in page
    response = client.post(reverse("legalreview:request", args=[sub.pk]), {"what": "再补充", "days": "3"})
    assert response.status_code == 409 and MaterialRequest.objects.count() == 1
    login_verified(client, world.officer)
    page = _case_page(client, sub.case)
    assert "等待补充材料" in page and reverse("legalreview:answer", args=[req.pk]) in page
    response = client.post(reverse("legalreview:answer", args=[req.pk]), {"note": ""})
    assert response.status_code == 400 and not MaterialAnswer.objects.exists()
    response = client.post(reverse("legalreview:answer", args=[req.pk]), {"note": "已补充现场检查笔录。"})
    assert response.status_code == 302 and MaterialAnswer.objects.get(request=req).note == "已补充现场检查笔录。"
    assert "已补充" in _case_page(client, sub.case)


def test_extension_requested_and_approved_by_the_head(client, world):
    sub = submitted(world)
    login_verified(client, world.reviewer)
    assert client.post(reverse("legalreview:extend", args=[sub.pk]), {"reason": "案情复杂"}).status_code == 302
    login_verified(client, world.agency_head)
    index = client.get(reverse("legalreview:index")).content.decode()
    assert "待审批的延长申请" in index and "案情复杂" in index
    page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
    assert 'id="extension-decision-form"' in page
    req = sub.extension_requests.get()
    response = client.post(reverse("legalreview:decide_extension", args=[req.pk]), {"approved": "0"})
    assert response.status_code == 400 and "意见" in response.content.decode()  # a refusal states why
    assert client.post(reverse("legalreview:decide_extension", args=[req.pk]), {"approved": "1"}).status_code == 302
    assert ExtensionDecision.objects.get(request=req).approved
    login_verified(client, world.reviewer)
    page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
    assert "已延长" in page and 'id="extension-form"' not in page
    response = client.post(reverse("legalreview:extend", args=[sub.pk]), {"reason": "再延长"})
    assert response.status_code == 409 and "不能再次延长" in response.content.decode()
    login_verified(client, world.officer)
    response = client.post(reverse("legalreview:decide_extension", args=[req.pk]), {"approved": "1"})
    assert response.status_code == 403


def test_disagreement_and_the_heads_ruling_after_collective_discussion(client, world):
    sub = submitted(world)
    qualify(world)
    login_verified(client, world.reviewer)
    client.post(reverse("legalreview:review", args=[sub.pk]),
                _review_post(outcome="变更", opinion="裁量过重，建议变更。", law="裁量基准适用不当"))
    review = Review.objects.get()
    login_verified(client, world.officer)
    page = _case_page(client, sub.case)
    assert "法制审核未通过" in page and "裁量基准适用不当" in page and 'id="disagree-form"' in page
    response = client.post(reverse("legalreview:disagree", args=[review.pk]), {"opinion": "情节严重，应责令停产停业。"})
    assert response.status_code == 302 and Disagreement.objects.filter(review=review).exists()
    response = client.post(reverse("legalreview:disagree", args=[review.pk]), {"opinion": "再次"})
    assert response.status_code == 409
    dis = Disagreement.objects.get()
    login_verified(client, world.agency_head)
    assert "待集体讨论决定的分歧" in client.get(reverse("legalreview:index")).content.decode()
    assert "请先完成本案的集体讨论记录" in _case_page(client, sub.case)
    minutes = complete(world, sub.case, "collective_discussion")
    page = _case_page(client, sub.case)
    assert 'id="ruling-form"' in page and f'value="{minutes.pk}"' in page
    response = client.post(reverse("legalreview:rule", args=[dis.pk]),
                           {"discussion": str(sub.record_id), "conclusion": "follow_unit", "opinion": "按拟定决定办理。"})
    assert response.status_code == 400 and not Ruling.objects.exists()  # not a 集体讨论记录 of the dispute
    assert _events(v.REFUSED)[-1]["detail"]["fields"] == ["discussion"]
    login_verified(client, world.unit_head)  # not the head who decides (LW-L 17: the agency head)
    response = client.post(reverse("legalreview:rule", args=[dis.pk]),
                           {"discussion": str(minutes.pk), "conclusion": "follow_unit", "opinion": "按拟定决定办理。"})
    assert response.status_code == 403 and not Ruling.objects.exists()
    login_verified(client, world.agency_head)
    response = client.post(reverse("legalreview:rule", args=[dis.pk]),
                           {"discussion": str(minutes.pk), "conclusion": "follow_unit", "opinion": "按拟定决定办理。"})
    assert response.status_code == 302 and Ruling.objects.get().discussion == minutes
    assert "经集体讨论，决定按拟定决定办理" in _case_page(client, sub.case)


# ---- 待审核, statistics, qualifications, navigation -------------------------------------------------------

def test_the_reviewers_list_and_history(client, world):
    sub = submitted(world)
    login_verified(client, world.reviewer)
    page = client.get(reverse("legalreview:index")).content.decode()
    assert sub.case.number in page and reverse("legalreview:submission", args=[sub.pk]) in page
    assert "审核中" in page and "我的审核记录" in page and "尚无审核记录" in page
    assert 'href="/legalreview/"' in page  # the navigation's 法制审核
    qualify(world)
    services.review(world.reviewer, sub, points=points(), outcome="同意", opinion="同意。")
    page = client.get(reverse("legalreview:index")).content.decode()
    assert "没有待审核的重大执法决定" in page and "同意" in page


def test_an_overdue_review_is_marked_in_the_list(client, world, monkeypatch):
    from liuhen.legalreview import clock, views

    sub = submitted(world)
    late = clock.clock_of(sub).due_at + datetime.timedelta(hours=1)
    # the hour after the due time
    monkeypatch.setattr(views, "clock_from", lambda rf, profile: clock.clock_from(rf, profile, now=late))
    login_verified(client, world.reviewer)
    page = client.get(reverse("legalreview:index")).content.decode()
    assert '<tr class="overdue">' in page and "已逾期" in page


def test_heads_and_supervisors_see_the_list_read_only(client, world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    sub = submitted(world)
    supervisor = acc.create_user(None, username="jian", full_name="监督员", password=world.PASSWORD,
                                 agency=world.agency, roles=[Role.SUPERVISOR])
    for user in (world.unit_head, world.agency_head, supervisor):
        login_verified(client, user)
        page = client.get(reverse("legalreview:index")).content.decode()
        assert sub.case.number in page and "查看" in page and "我的审核记录" not in page
        assert 'href="/legalreview/"' in page
        page = client.get(reverse("legalreview:submission", args=[sub.pk])).content.decode()
        assert 'id="review-form"' not in page


@pytest.mark.pages_only
def test_the_list_is_for_its_roles(client, world):
    login_verified(client, world.officer)
    assert 'href="/legalreview/"' not in client.get(reverse("cases:mine")).content.decode()
    response = client.get(reverse("legalreview:index"))
    assert response.status_code == 403
    assert _events("access.denied")[-1]["detail"]["status"] == 403
    assert client.get(reverse("legalreview:stats")).status_code == 403
    assert client.get(reverse("legalreview:qualifications")).status_code == 403


def test_statistics_by_unit_and_outcome(client, world):
    sub = passed(world)
    login_verified(client, world.agency_head)
    page = client.get(reverse("legalreview:stats")).content.decode()
    assert "水政监察大队" in page and all(o in page for o in ("同意", "变更", "纠正程序", "移送"))
    assert '<td data-label="同意">1</td>' in page
    year = sub.submitted_at.year - 1
    page = client.get(reverse("legalreview:stats"), {"year": year}).content.decode()
    assert "该年度没有法制审核意见" in page
    response = client.get(reverse("legalreview:stats"), {"year": "abc"})
    assert response.status_code == 400 and _events(v.REFUSED)[-1]["detail"]["fields"] == ["year"]


def test_the_system_administrator_records_a_qualification(client, world):
    login_verified(client, world.sysadmin)
    page = client.get(reverse("legalreview:qualifications")).content.decode()
    assert world.reviewer.display_name in page and "未登记" in page
    assert 'href="/legalreview/qualifications/"' in page  # the navigation's entry
    response = client.post(reverse("legalreview:qualifications"),
                           {"user": str(world.reviewer.pk), "certificate_number": "A20201100001",
                            "obtained_on": "2099-01-01"})
    assert response.status_code == 400 and "取得日期无效" in response.content.decode()
    assert not Qualification.objects.exists() and _events(v.REFUSED)[-1]["detail"]["act"] == "qualify"
    response = client.post(reverse("legalreview:qualifications"),
                           {"user": str(world.reviewer.pk), "certificate_number": "A20201100001",
                            "obtained_on": "2020-09-01"})
    assert response.status_code == 302 and s.qualified(world.reviewer).certificate_number == "A20201100001"
    assert "A20201100001" in client.get(reverse("legalreview:qualifications")).content.decode()


# ---- 法制审核意见书 ----------------------------------------------------------------------------------

def test_the_review_opinion_document_prints_the_points(world):
    from liuhen.documents.render import render_pdf
    from liuhen.testing.documents import pdf_text

    case = major_case(world)
    sub = submitted(world, case)
    assert "审核结论" not in pdf_text(render_pdf(sub.record))  # nothing before the review is signed
    qualify(world)
    services.review(world.reviewer, sub, points=points(documents="送达回证缺少日期"), outcome="纠正程序",
                    opinion="文书不规范，请补正后再报。")
    text = pdf_text(render_pdf(sub.record))
    assert "重大执法决定法制审核意见书" in text and "审核结论" in text and "纠正程序" in text
    assert "送达回证缺少日期" in text and "文书不规范" in text and "执法文书完备、规范" in text


def test_the_review_opinion_docx_holds_the_points_too(world):
    from docx import Document

    from liuhen.documents.render import render_docx

    sub = passed(world)
    doc = Document(io.BytesIO(render_docx(sub.record)))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "审核结论" in text and "同意" in text and "案件事实清楚，证据确凿、充分" in text


def test_the_awaiting_list_costs_the_same_queries_for_one_submission_or_three(client, world):
    """待审核 reads the submissions, their clocks and who worked on them set-based (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login_verified(client, world.reviewer)
    url = reverse("legalreview:index")

    def look():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(url).content.decode()
        return len(ctx.captured_queries), sum(sub.case.number in page for sub in Submission.objects.all())

    def count():
        # a look may fill a process-wide cache once more (seen on PostgreSQL after other tests of the
        # worker: 20 then 21): the cheapest of three looks is compared
        return min(look() for _ in range(3))

    submitted(world)
    client.get(url)  # warm: what is read once per process (the profile, roles) is not per row
    one = count()
    for _ in range(2):
        submitted(world)
    three = count()
    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0], (one, three)
