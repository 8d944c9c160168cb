"""Suggestions on the score form: the case's open findings (liuhen.oversight's Finding rows, from
the findings engine) shown next to the score-card items whose `findings` codes match them — the
evaluator decides. Runs once the oversight app has its Finding model (branch i15-findings)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.evaluation import scoring, selectors
from liuhen.testing.evaluation import archived, supervisor


def _finding_model():
    from liuhen.oversight import models as oversight

    model = getattr(oversight, "Finding", None)
    if model is None or not {"code", "case"} <= {f.name for f in model._meta.get_fields()}:
        pytest.skip("liuhen.oversight has no Finding model yet: suggestions show nothing")
    return model


def _card(codes_by_item: dict) -> dict:
    return {"profile": "T", "name": "测试", "version": 1, "sha256": "", "bands": [["合格", 60], ["不合格", 0]],
            "hard_fail": [{"id": "hf", "label": "否决项", "points": 0, "article": "", "findings": codes_by_item.get("hf", [])}],
            "sections": [{"id": "s", "label": "内容", "points": 100, "items": [
                {"id": "a", "label": "甲", "points": 10, "article": "", "findings": codes_by_item.get("a", [])},
                {"id": "b", "label": "乙", "points": 10, "article": "", "findings": codes_by_item.get("b", [])}]}]}


def test_open_findings_are_suggested_next_to_their_items(world):
    Finding = _finding_model()
    case, other = archived(world, 2)
    for c, code in ((case, "records.TEST1"), (case, "records.TEST2"), (other, "records.TEST1")):
        Finding.objects.create(case=c, agency=c.agency, unit=c.unit, key=f"{code}:x", code=code, severity="error",
                               message="缺少记录", opened_at=timezone.now())
    card = _card({"hf": ["records.TEST2"], "a": ["records.TEST1", "records.TEST2"], "b": ["records.OTHER"]})
    found = selectors.suggestions(case, card)
    assert {k: sorted(f.code for f in v) for k, v in found.items()} == {
        "hf": ["records.TEST2"], "a": ["records.TEST1", "records.TEST2"]}
    assert selectors.suggestions(case, _card({})) == {}


def test_the_score_form_shows_them(world, client):
    Finding = _finding_model()
    from liuhen.evaluation import services

    files = archived(world, 1)
    today = timezone.localdate()
    r = services.open_round(supervisor(world), title="评查", period_from=today, period_to=today, size=1)
    case = files[0]
    codes = [c for _, item in scoring.items(r.card_for(case.pk)) for c in item.get("findings", ())]
    if not codes:
        pytest.skip("the profile's score card names no finding codes")
    Finding.objects.create(case=case, agency=case.agency, unit=case.unit, key="t", code=codes[0], severity="error",
                           message="送达超期", opened_at=timezone.now())
    client.force_login(supervisor(world))
    page = client.get(reverse("evaluation:score", args=[r.pk, case.pk])).content.decode()
    assert "系统发现的问题" in page and codes[0] in page
