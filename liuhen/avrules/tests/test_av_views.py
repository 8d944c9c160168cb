"""The AV rules' pages: 外出执法申报 (AS 12), and from the case page's 音像记录 part footage of the
stage attached to an act's record and a break noted (LQ 22). Bad input: a Chinese message, a 4xx,
nothing written, the refusal in the ledger."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.avrules import vocabulary as v
from liuhen.avrules.models import FieldTrip, Interruption
from liuhen.avrules.selectors import case_av
from liuhen.cases import services as cases
from liuhen.footage import services as footage
from liuhen.footage.models import FootageLink
from liuhen.ledger.models import Entry
from liuhen.testing.avrules import camera, clip, link
from liuhen.testing.cases import complete, to_investigation

pytestmark = pytest.mark.usefixtures("fresh_home")


def local(when):
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def test_an_officer_declares_a_field_trip(client, world):
    client.force_login(world.officer)
    page = client.get(reverse("avrules:trips"))
    assert page.status_code == 200 and "外出执法申报" in page.content.decode()
    now = timezone.now()
    r = client.post(reverse("avrules:trips"), {"officer": world.officer.pk, "starts_at": local(now),
                                               "ends_at": local(now + datetime.timedelta(days=2)),
                                               "place": "县北部山区", "reason": "汛前检查"})
    assert r.status_code == 302
    trip = FieldTrip.objects.get()
    assert trip.officer == world.officer and trip.declared_by == world.officer
    assert "县北部山区" in client.get(reverse("avrules:trips")).content.decode()


@pytest.mark.pages_only
def test_a_bad_declaration_is_a_400_in_chinese(client, world):
    client.force_login(world.officer)
    now = timezone.now()
    r = client.post(reverse("avrules:trips"), {"officer": world.officer.pk, "starts_at": local(now),
                                               "ends_at": local(now - datetime.timedelta(hours=2)),
                                               "place": "县北部山区", "reason": "汛前检查"})
    assert r.status_code == 400 and "返回时间必须晚于外出时间。" in r.content.decode()
    r = client.post(reverse("avrules:trips"), {"officer": world.officer.pk, "starts_at": "明天", "place": ""})
    assert r.status_code == 400 and "外出时间" in r.content.decode()
    assert not FieldTrip.objects.exists()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk).count() == 2


def test_a_unit_head_declares_for_an_officer_of_the_unit_only(client, world):
    client.force_login(world.unit_head)
    page = client.get(reverse("avrules:trips")).content.decode()
    assert world.officer.display_name in page and world.outsider.display_name not in page
    now = timezone.now()
    r = client.post(reverse("avrules:trips"), {"officer": world.officer2.pk, "starts_at": local(now),
                                               "ends_at": local(now + datetime.timedelta(days=1)),
                                               "place": "邻县", "reason": "协查"})
    assert r.status_code == 302 and FieldTrip.objects.get().officer == world.officer2
    client.force_login(world.reviewer)
    assert client.get(reverse("avrules:trips")).status_code == 403


@pytest.fixture
def inspected(world, tmp_path):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    inspection = complete(world, case, "inspection_record")
    camera(world)
    return case, inspection


def test_footage_of_the_stage_is_attached_to_the_act_from_the_case_page(client, world, tmp_path, inspected):
    case, inspection = inspected
    item = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=20))
    footage.link(world.officer, item, case, case.stage)  # from the holding area: the stage, no record
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "关联到本笔录" in page and item.name in page
    r = client.post(reverse("avrules:link_record", args=[inspection.pk]), {"item": item.pk})
    assert r.status_code == 302 and r["Location"].endswith(f"/cases/{case.pk}/#av-investigation")
    assert FootageLink.objects.filter(item=item, record_id=inspection.pk).exists()
    assert cases.transition_blockers(case) == []
    # Again: already linked — a 409 with the footage app's reason.
    r = client.post(reverse("avrules:link_record", args=[inspection.pk]), {"item": item.pk})
    assert r.status_code == 409 and "该音像记录已关联到本案件的这一阶段。" in r.content.decode()
    # An item of no link to this case, or no item: 400.
    other = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(minutes=10))
    for data in ({"item": other.pk}, {"item": "x"}, {}):
        r = client.post(reverse("avrules:link_record", args=[inspection.pk]), data)
        assert r.status_code == 400
    assert "所选音像记录不属于本案件。" in client.post(reverse("avrules:link_record", args=[inspection.pk]),
                                               {"item": other.pk}).content.decode()


def test_a_break_is_noted_from_the_case_page(client, world, tmp_path, inspected):
    case, inspection = inspected
    start = timezone.now() - datetime.timedelta(minutes=30)
    a, b = clip(tmp_path, recorded=start), clip(tmp_path, recorded=start + datetime.timedelta(minutes=2))
    link(world, a, inspection)
    link(world, b, inspection)
    client.force_login(world.officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "记录中断原因" in page and "记录中断未能恢复" in page
    url = reverse("avrules:interruption", args=[inspection.pk])
    r = client.post(url, {"before": a.pk, "after": b.pk, "reason": " "})
    assert r.status_code == 400 and "请填写中断原因。" in r.content.decode()
    r = client.post(url, {"before": a.pk, "after": b.pk, "reason": "设备电量不足"})
    assert r.status_code == 302 and Interruption.objects.get().reason == "设备电量不足"
    assert case_av(case)[0].gaps[0].note is not None
    r = client.post(url, {"before": b.pk, "after": "", "reason": "暴雨，设备进水"})
    assert r.status_code == 302 and Interruption.objects.filter(after__isnull=True).count() == 1
    assert any("中断后未能恢复" in p for p in cases.transition_blockers(case))


@pytest.mark.pages_only
def test_who_cannot_see_the_case_gets_a_404_and_who_is_not_on_it_a_403(client, world, inspected):
    case, inspection = inspected
    client.force_login(world.outsider)
    assert client.post(reverse("avrules:interruption", args=[inspection.pk]), {"before": "1"}).status_code == 404
    client.force_login(world.unit_head)  # sees the case, is not its officer
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="av-investigation"' in page and "关联到本笔录" not in page and "外出执法申报" not in page
