"""The holding area (暂存区): footage under custody until an officer of a case links it; link and
unlink are ledgered acts (unlinking never deletes); 重点文件 marks; the selectors."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from liuhen.footage import selectors, services
from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.ledger.models import Entry
from liuhen.records.models import Record
from liuhen.testing.ingest import NUMBER, dump, ingest, signed_out_camera

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world, tmp_path):
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4", "B.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    (root / "DCIM" / "100MEDIA" / "A.gps").write_text("gps track")
    assert ingest(str(root), "--device", NUMBER).code == 0
    return FootageItem.objects.get(name="A.MP4"), FootageItem.objects.get(name="B.MP4")


def test_link_and_unlink_are_ledgered_and_nothing_is_deleted(world, items):
    a, b = items
    case = world.open_case()
    assert set(selectors.holding_area(world.agency.pk)) == {a, b}  # sidecars go with their video
    link = services.link(world.officer, a, case, case.stage)
    assert list(selectors.holding_area(world.agency.pk)) == [b]
    assert [lk.item for lk in selectors.case_footage(case)] == [a]
    e = Entry.objects.get(action=v.LINK)
    assert e.object_id == str(link.pk) and e.actor_id == world.officer.pk
    unl = services.unlink(world.officer2, link, "误关联")
    assert FootageLink.objects.filter(pk=link.pk).exists() and unl.link == link
    assert Entry.objects.filter(action=v.UNLINK, object_id=str(unl.pk)).exists()
    assert set(selectors.holding_area(world.agency.pk)) == {a, b}
    assert selectors.case_footage(case) == []
    with pytest.raises(ValidationError):
        services.unlink(world.officer, link, "再次取消")


def test_link_with_its_record(world, items):
    a, _ = items
    case = world.open_case()
    world.to_investigation(case)
    case.refresh_from_db()
    record = Record.objects.filter(case=case).first()
    link = services.link(world.officer, a, case, "investigation", record)
    assert link.record_id == record.pk
    other = world.open_case()
    with pytest.raises(ValidationError, match="不属于本案件"):
        services.link(world.officer, a, other, other.stage, record)


def test_only_an_officer_of_the_case_with_a_valid_certificate_links(world, items):
    a, _ = items
    case = world.open_case()
    for who in (world.officer3, world.unit_head, world.agency_head):
        with pytest.raises(PermissionDenied):
            services.link(who, a, case, case.stage)
    assert Entry.objects.filter(action=v.DENIED, object_id=str(a.pk)).count() == 3
    with pytest.raises(ValidationError):
        services.link(world.officer, a, case, "nonsense")
    assert not FootageLink.objects.exists()


def test_expired_certificate_cannot_link(world, items):
    """李强 is an officer of the case, but his 执法证 expired since (time passing, set by SQL here)."""
    from liuhen.accounts.models import Certificate

    a, _ = items
    case = world.open_case()
    Certificate.objects.filter(holder=world.officer2).update(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.link(world.officer2, a, case, case.stage)
    assert not FootageLink.objects.exists()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer2.pk).exists()


def test_sidecar_is_not_linked_alone(world, items):
    a, _ = items
    gps = FootageItem.objects.get(name="A.gps")
    case = world.open_case()
    with pytest.raises(ValidationError, match="附属文件"):
        services.link(world.officer, gps, case, case.stage)
    assert selectors.sidecars_of(a) == [gps]


def test_important_flag_by_the_officer(world, items):
    a, b = items
    services.mark_important(world.officer, a)
    with pytest.raises(PermissionDenied):
        services.mark_important(world.officer2, b)
    rows = {i.pk: i for i in selectors.holding_area(world.agency.pk, officer=world.officer)}
    assert rows[a.pk].important is True and rows[b.pk].important is None
    services.mark_important(world.officer, a, False)
    assert {i.pk: i.important for i in selectors.holding_area(world.agency.pk)}[a.pk] is False
    assert Entry.objects.filter(action=v.MARK).count() == 2


def test_search_by_device_officer_and_time(world, items):
    a, b = items
    d = a.device
    assert set(selectors.footage(world.agency.pk, device=d, officer=world.officer)) == {a, b}
    assert list(selectors.footage(world.agency.pk, officer=world.officer2)) == []
    later = timezone.now() + datetime.timedelta(hours=1)
    assert list(selectors.footage(world.agency.pk, start=later)) == []
    assert set(selectors.footage(world.agency.pk, end=later)) == {a, b}
    assert list(selectors.holding_area(world.agency.pk, officer=world.officer2)) == []
