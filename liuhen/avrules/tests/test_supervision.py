"""Supervision views of footage (音像记录监督): hours, files, late storage, acts without AV and clock
drift, by unit and by officer, for a period; each number a list; a read in the ledger; a constant
number of queries however many items."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.avrules import supervision as sv
from liuhen.avrules import vocabulary as v
from liuhen.devices import services as dev
from liuhen.devices.models import Device
from liuhen.ledger.models import Entry
from liuhen.testing.avrules import camera, clip, clock_at, link, not_suitable
from liuhen.testing.cases import complete, to_investigation
from liuhen.testing.supervision import supervisor

pytestmark = pytest.mark.usefixtures("fresh_home")
H = datetime.timedelta(hours=1)


@pytest.fixture
def scene(world, tmp_path, monkeypatch):
    """张明's camera: a 2 s clip on time, a 3 s clip stored late, one from a camera whose clock was off
    at ingest; a case in 调查取证 with three 现场检查: one filmed, one with an approved 不适宜说明, one
    with nothing (missing)."""
    with clock_at(monkeypatch, timezone.now() - 72 * H):  # signed out three days ago: the clips are his
        camera(world)
        camera(world, officer=world.officer, number="JL00002")
    on_time = clip(tmp_path, recorded=timezone.now() - 2 * H, seconds=2)
    late = clip(tmp_path, recorded=timezone.now() - 30 * H, seconds=3)
    drift = clip(tmp_path, recorded=timezone.now() - H, number="JL00002",
                 device_time=timezone.now() + datetime.timedelta(minutes=5))
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    filmed = complete(world, case, "inspection_record")
    link(world, on_time, filmed)
    excused = complete(world, case, "inspection_record")
    not_suitable(world, excused)
    bare = complete(world, case, "inspection_record")
    return world, case, on_time, late, drift, bare


def test_numbers_by_unit_and_by_officer(scene):
    world, case, on_time, late, drift, bare = scene
    boss = supervisor(world)
    f = sv.facts(boss, sv.Period.default())
    rows, total = sv.tally(boss, f, "unit")
    mine = next(r for r in rows if r.key == world.unit.pk)
    assert mine.files == 3 and mine.late == 1 and mine.missing == 1 and mine.drift == 1
    assert mine.seconds == pytest.approx(on_time.duration + late.duration + drift.duration)
    assert mine.duration_label == f"0:00:{round(mine.seconds):02d}"  # h:mm:ss
    assert {r.key for r in rows} >= {world.unit.pk, world.other_unit.pk}
    other = next(r for r in rows if r.key == world.other_unit.pk)
    assert (other.files, other.missing) == (0, 0)
    assert (total.files, total.late, total.missing) == (3, 1, 1)
    rows, _ = sv.tally(boss, f, "officer")
    zhang = next(r for r in rows if r.key == world.officer.pk)
    assert zhang.files == 3 and zhang.late == 1 and zhang.missing >= 1
    assert any(r.key == world.outsider.pk and r.files == 0 for r in rows)  # officers with nothing show too
    assert [m.record.pk for m in sv.selected(f, "missing", "unit", world.unit.pk)] == [bare.pk]
    assert [i.pk for i in sv.selected(f, "late", "officer", world.officer.pk)] == [late.pk]
    assert [i.pk for i in sv.selected(f, "drift", "unit", None)] == [drift.pk]
    # A period that ends before any of it: nothing.
    old = sv.Period(timezone.localdate() - datetime.timedelta(days=90), timezone.localdate() - datetime.timedelta(days=60))
    assert sv.tally(boss, sv.facts(boss, old), "unit")[1].files == 0


def test_clock_checks_at_sign_out_count(world):
    from liuhen.testing.devices import camera as new_camera, device_admin

    admin = device_admin(world)
    d = new_camera(world, "JL-009")
    dev.sign_out(admin, d, world.outsider, device_time=datetime.datetime(2000, 1, 1))
    boss = supervisor(world)
    f = sv.facts(boss, sv.Period.default())
    rows, total = sv.tally(boss, f, "unit")
    assert next(r for r in rows if r.key == world.other_unit.pk).checks == 1 and total.checks == 1
    assert len(sv.selected(f, "checks", "officer", world.outsider.pk)) == 1


def test_the_page_its_lists_and_who_may_see_them(scene, client):
    world, case, on_time, late, drift, bare = scene
    boss = supervisor(world)
    client.force_login(boss)
    resp = client.get("/av/supervision/")
    html = resp.content.decode()
    assert resp.status_code == 200 and "音像记录监督" in html and world.unit.name in html
    assert "what=late" in html and "what=missing" in html
    first = sv.Period.default().first.isoformat()
    assert f"what=late&amp;key={world.unit.pk}&amp;by=unit&amp;start={first}&amp;end=" in html
    assert f'value="{first}"' in html  # the default period, in the date field
    e = Entry.objects.filter(action=v.SUPERVISION, actor_id=boss.pk).last()
    assert e is not None and e.object_type == v.SUPERVISION_OBJECT
    html = client.get("/av/supervision/", {"by": "officer"}).content.decode()
    assert world.officer.display_name in html and f'value="{first}"' in html
    resp = client.get("/av/supervision/list/", {"what": "late", "key": world.unit.pk, "by": "unit"})
    assert resp.status_code == 200 and late.name in resp.content.decode() and on_time.name not in resp.content.decode()
    resp = client.get("/av/supervision/list/", {"what": "missing", "key": world.unit.pk, "by": "unit"})
    assert resp.status_code == 200 and f"第{bare.serial}号" in resp.content.decode()
    assert Entry.objects.filter(action=v.SUPERVISION, actor_id=boss.pk).count() == 4
    # Bad input: 400 with the Chinese error, recorded.
    resp = client.get("/av/supervision/", {"start": "2026-12-01", "end": "2026-11-01"})
    assert resp.status_code == 400 and "开始日期不能晚于结束日期" in resp.content.decode()
    resp = client.get("/av/supervision/list/", {"what": "bogus"})
    assert resp.status_code == 400
    assert Entry.objects.filter(action=v.DENIED, actor_id=boss.pk).count() == 2
    # The unit head sees their own unit only; an officer, nothing.
    client.force_login(world.unit_head)
    html = client.get("/av/supervision/").content.decode()
    assert world.unit.name in html and world.other_unit.name not in html
    client.force_login(world.officer)
    assert client.get("/av/supervision/").status_code == 403
    assert client.get("/av/supervision/list/", {"what": "files"}).status_code == 403


def test_unit_head_of_another_unit_sees_none_of_it(scene):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    world, *_ = scene
    head = acc.create_user(None, username="qita", full_name="其他科长", password=world.PASSWORD, agency=world.agency,
                           unit=world.other_unit, roles=[Role.UNIT_HEAD])
    f = sv.facts(head, sv.Period.default())
    assert f.items == [] and f.missing == []
    rows, total = sv.tally(head, f, "unit")
    assert [r.key for r in rows] == [world.other_unit.pk] and total.files == 0


def test_a_constant_number_of_queries(world, tmp_path, monkeypatch):
    """Three files or twelve, one case or three: the page costs the same queries (no N+1)."""
    from liuhen.testing.footage import video
    from liuhen.testing.ingest import ingest, iso_utc

    boss = supervisor(world)
    with clock_at(monkeypatch, timezone.now() - 72 * H):
        camera(world)

    def add(n, start):
        folder = tmp_path / f"batch{start}" / "DCIM"
        folder.mkdir(parents=True)
        for i in range(n):
            # distinct hours per batch: two files made in the same second with the same time are the same
            # bytes, and ingest rightly keeps one (the CI failure of 2026-12-02)
            video(folder / f"V{start + i:04d}.MP4", 1, creation_time=iso_utc(timezone.now() - (start // 10 + i + 20) * H))
        assert ingest(str(folder.parent), "--device", "JL00001").code == 0

    def case_with_act():
        case = to_investigation(world)
        complete(world, case, "inspection_record")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            f = sv.facts(boss, sv.Period.default())
            sv.tally(boss, f, "unit")
            sv.tally(boss, f, "officer")
        return len(ctx.captured_queries), len(f.items), len(f.missing)

    add(3, 0)
    case_with_act()
    count()  # warm: what is read once per process or user (roles, the rule table) is not per item
    few = count()
    add(9, 100)
    case_with_act()
    case_with_act()
    many = count()
    assert (few[1], many[1]) == (3, 12) and (few[2], many[2]) == (1, 3)
    assert all(i.officer_id == world.officer.pk for i in sv.facts(boss, sv.Period.default()).items)
    assert many[0] == few[0], (few, many)
    assert Device.objects.count() == 1
