"""Bad input on the staff's 公示 pages: each refusal answered 4xx with its Chinese message on the page it
came from, the form kept, recorded in the ledger (publicity.refused), nothing written."""
import pytest
from django.urls import reverse

from liuhen.ledger.models import Entry as LogEntry
from liuhen.publicity import selectors as s
from liuhen.publicity import services
from liuhen.publicity import vocabulary as v
from liuhen.publicity.models import Comment, Entry, Exemption, Reply, Step, Version
from liuhen.testing.publicity import ALL_CHECKS, published_decision
from liuhen.testing.publicity_pages_scene import scene_fixture

pytestmark = pytest.mark.django_db

# Scenes built once per run and restored for each test that starts from one (liuhen.testing.demo): a world with
# issued_decision(world); that decision drafted by the officer (_drafted(world)); the same with
# facts=FACTS_WITH_PEOPLE; published_decision(world).
issued = scene_fixture("issued", "issued_scene")
drafted = scene_fixture("drafted", "drafted_scene")
drafted_with_people = scene_fixture("drafted_with_people", "drafted_with_people_scene")
published = scene_fixture("published", "published_scene")


def _refused() -> int:
    return LogEntry.objects.filter(action=v.REFUSED).count()


def _rows() -> tuple:
    return (Entry.objects.count(), Version.objects.count(), Step.objects.count(), Exemption.objects.count(),
            Reply.objects.count())


def test_a_review_passing_without_the_checks_is_refused_and_the_form_kept(client, drafted):
    world, version = drafted.world, drafted.version
    client.force_login(world.reviewer)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:review", args=[version.pk]),
                           {"checks": ["scope", "secrets"], "passed": "1", "opinion": "基本可以"})
    page = response.content.decode()
    assert response.status_code == 400 and "审核通过前须逐项确认" in page and "已去除个人隐私" in page
    assert "基本可以" in page and 'value="scope" id="id_checks_0" checked' in page  # the form kept
    assert 'value="privacy" id="id_checks_3">' in page
    assert _rows() == before and _refused() == refused + 1 and s.version_state(version) == s.DRAFT


def test_a_return_without_an_opinion_is_refused(client, drafted):
    world, version = drafted.world, drafted.version
    client.force_login(world.reviewer)
    before = _rows()
    response = client.post(reverse("publicity:review", args=[version.pk]), {"passed": "0", "opinion": ""})
    assert response.status_code == 400 and "请填写审核意见" in response.content.decode() and _rows() == before


def test_a_review_without_a_conclusion_is_refused_before_the_service(client, drafted):
    world, version = drafted.world, drafted.version
    client.force_login(world.reviewer)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:review", args=[version.pk]), {"checks": list(ALL_CHECKS)})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    assert _rows() == before and _refused() == refused + 1


def test_an_approval_of_a_version_not_reviewed_is_refused(client, drafted):
    world, version = drafted.world, drafted.version
    client.force_login(world.agency_head)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:approve", args=[version.pk]), {"passed": "1", "opinion": "同意"})
    page = response.content.decode()
    assert response.status_code == 400 and "不是待批准的最新稿" in page and "同意" in page
    assert _rows() == before and _refused() == refused + 1 and s.status(version.entry) == s.PENDING


def test_a_withdrawal_without_a_reason_is_refused(client, published):
    world, entry = published.world, published.entry
    client.force_login(world.agency_head)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:withdraw", args=[entry.number]), {"reason": "  "})
    page = response.content.decode()
    assert response.status_code == 400 and "撤回理由" in page and 'id="pub-withdraw"' in page
    assert _rows() == before and _refused() == refused + 1 and s.status(entry) == s.LIVE


def test_a_redaction_of_a_fragment_not_in_the_text_is_refused(client, drafted_with_people):
    world, version = drafted_with_people.world, drafted_with_people.version
    client.force_login(world.officer)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:redact", args=[version.pk]),
                           {"fragment": "不存在的名字", "category": "person_name"})
    page = response.content.decode()
    assert response.status_code == 400 and "送达文书中没有“不存在的名字”" in page and 'value="不存在的名字"' in page
    assert _rows() == before and _refused() == refused + 1


@pytest.mark.parametrize("data", [{"fragment": "王五", "category": "nonsense"}, {"fragment": "", "category": "other"},
                                  {"fragment": "王" * 201, "category": "other"}])
def test_a_redaction_with_bad_fields_is_refused_before_the_service(client, drafted_with_people, data):
    world, version = drafted_with_people.world, drafted_with_people.version
    client.force_login(world.officer)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:redact", args=[version.pk]), data)
    assert response.status_code == 400 and _rows() == before and _refused() == refused + 1


def test_a_redaction_with_control_characters_is_refused(client, drafted_with_people):
    world, version = drafted_with_people.world, drafted_with_people.version
    client.force_login(world.officer)
    before = _rows()
    response = client.post(reverse("publicity:redact", args=[version.pk]), {"fragment": "王\x00五", "category": "other"})
    assert response.status_code == 400 and _rows() == before


def test_a_redaction_after_the_review_is_refused(client, drafted_with_people):
    world, version = drafted_with_people.world, drafted_with_people.version
    services.review(world.reviewer, version, passed=True, checks=ALL_CHECKS)
    client.force_login(world.officer)
    before = _rows()
    response = client.post(reverse("publicity:redact", args=[version.pk]), {"fragment": "李四", "category": "person_name"})
    assert response.status_code == 400 and "只能在最新的待审核公示稿上隐去内容" in response.content.decode()
    assert _rows() == before


def test_a_second_draft_while_one_is_open_is_a_conflict(client, drafted):
    world, version = drafted.world, drafted.version
    client.force_login(world.officer)
    before = _rows()
    response = client.post(reverse("publicity:draft", args=[version.entry.case_id]))
    assert response.status_code == 409 and "已有待审核或待批准的公示稿" in response.content.decode()
    assert _rows() == before


def test_new_content_without_its_name_is_refused_with_the_form_kept(client, world):
    client.force_login(world.officer)
    before, refused = _rows(), _refused()
    response = client.post(reverse("publicity:new", args=["matter"]), {"s1": "《水法》第三十八条"})
    page = response.content.decode()
    assert response.status_code == 400 and "请填写事项名称" in page and "《水法》第三十八条" in page
    assert _rows() == before and _refused() == refused + 1
    response = client.post(reverse("publicity:new", args=["benchmark"]), {"title": "裁量基准"})
    assert response.status_code == 400 and _rows() == before


def test_an_exemption_without_a_note_or_with_a_bad_ground_is_refused(client, issued):
    world, case = issued.world, issued.case
    client.force_login(world.agency_head)
    before = _rows()
    for data in ({"ground": "minor", "note": ""}, {"ground": "whim", "note": "不想公开"}):
        response = client.post(reverse("publicity:exempt", args=[case.pk]), data)
        assert response.status_code == 400 and _rows() == before


def test_an_exemption_of_a_live_decision_is_a_conflict(client, published):
    world, case = published.world, published.case
    client.force_login(world.agency_head)
    before = _rows()
    response = client.post(reverse("publicity:exempt", args=[case.pk]), {"ground": "privacy", "note": "当事人申请"})
    assert response.status_code == 409 and "请先撤回" in response.content.decode() and _rows() == before


def test_an_empty_reply_and_a_second_reply_are_refused(client, published):
    world, entry = published.world, published.entry
    comment = services.comment(entry, kind="comment", text="请补充依据")
    client.force_login(world.officer)
    before = _rows()
    response = client.post(reverse("publicity:reply", args=[comment.pk]), {f"r{comment.pk}-text": ""})
    assert response.status_code == 400 and _rows() == before
    services.reply(world.officer, comment, "已补充")
    response = client.post(reverse("publicity:reply", args=[comment.pk]), {f"r{comment.pk}-text": "再答复"})
    assert response.status_code == 409 and "该意见已答复" in response.content.decode()
    assert Reply.objects.count() == 1 and Comment.objects.count() == 1


def test_a_correction_without_a_reason_is_refused(client, published):
    world, entry = published.world, published.entry
    client.force_login(world.officer)
    before = _rows()
    response = client.post(reverse("publicity:revise", args=[entry.number]), {"reason": ""})
    assert response.status_code == 400 and "更正理由" in response.content.decode() and _rows() == before


def test_an_early_removal_the_profile_bars_is_a_conflict(client, world):
    from liuhen.testing.cases import notify, to_decision

    case = to_decision(world)
    revocation = {"penalty_kind": "吊销许可证件", "fine_amount": 5000}
    notify(world, case, revocation)
    case, entry, version = published_decision(world, case, **revocation)
    client.force_login(world.agency_head)
    before = _rows()
    response = client.post(reverse("publicity:remove", args=[entry.number]), {"reason": "信用修复"})
    assert response.status_code == 409 and "不得撤下" in response.content.decode() and _rows() == before


def test_unknown_pages_are_404(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("publicity:entry", args=["9999-0001"])).status_code == 404
    assert client.get(reverse("publicity:version", args=[999])).status_code == 404
    assert client.get(reverse("publicity:new", args=["statistics"])).status_code == 404
    assert client.get("/publicity/export.pdf").status_code == 404
    assert client.get(reverse("publicity:statistics", args=[1999])).status_code == 404
