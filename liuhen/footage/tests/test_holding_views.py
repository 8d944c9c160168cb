"""The holding area page (暂存区) through the test client: officers see their own, the 设备管理员
and the 机关负责人 all; linking from the page is the ledgered act; bad input is a 4xx, logged."""
import datetime

import pytest
from django.utils import timezone

from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem, FootageLink, FootageMark
from liuhen.ledger.models import Entry
from liuhen.testing.ingest import NUMBER, dump, ingest, signed_out_camera
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world, tmp_path):
    d, admin = signed_out_camera(world)
    now = timezone.now() + datetime.timedelta(seconds=5)
    root = dump(tmp_path, "MINE.MP4", recorded=now)
    assert ingest(str(root), "--device", NUMBER).code == 0
    old = dump(tmp_path / "old", "NOBODY.MP4", recorded=now - datetime.timedelta(days=3))
    assert ingest(str(old), "--device", NUMBER).code == 0
    world.device_admin = admin
    return FootageItem.objects.get(name="MINE.MP4"), FootageItem.objects.get(name="NOBODY.MP4")


@pytest.mark.pages_only
def test_officer_sees_own_admin_and_head_see_all(client, world, items):
    mine, nobody = items
    login_verified(client, world.officer)
    html = client.get("/footage/").content.decode()
    assert "MINE.MP4" in html and "NOBODY.MP4" not in html and "关联" in html
    assert Entry.objects.filter(action=v.VIEW, actor_id=world.officer.pk).exists()
    login_verified(client, world.officer2)
    assert "MINE.MP4" not in client.get("/footage/").content.decode()
    for who in (world.device_admin, world.agency_head):
        login_verified(client, who)
        html = client.get("/footage/").content.decode()
        assert "MINE.MP4" in html and "NOBODY.MP4" in html and "未归属" in html
        assert "录制时设备未被领用" in html
    login_verified(client, world.sysadmin)
    assert client.get("/footage/").status_code == 403


def test_link_from_the_page(client, world, items):
    mine, _ = items
    case = world.open_case()
    login_verified(client, world.officer)
    resp = client.post(f"/footage/{mine.pk}/link/", {f"i{mine.pk}-case": case.pk, f"i{mine.pk}-stage": case.stage})
    assert resp.status_code == 302
    link = FootageLink.objects.get()
    assert link.item == mine and link.case == case and link.linked_by == world.officer
    assert "暂存区为空" in client.get("/footage/").content.decode()  # it left the holding area


def test_bad_link_is_a_4xx_and_logged(client, world, items):
    mine, nobody = items
    case = world.open_case()
    login_verified(client, world.officer)
    resp = client.post(f"/footage/{mine.pk}/link/", {f"i{mine.pk}-case": "", f"i{mine.pk}-stage": "start"})
    assert resp.status_code == 400 and "请选择案件" in resp.content.decode()
    assert Entry.objects.filter(action=v.DENIED, object_id=str(mine.pk)).exists()
    # Someone else's footage answers 404 (and the attempt is logged), nothing linked.
    assert client.post(f"/footage/{nobody.pk}/link/", {f"i{nobody.pk}-case": case.pk,
                                                        f"i{nobody.pk}-stage": "start"}).status_code == 404
    login_verified(client, world.officer3)  # neither attributed to 王芳 nor ingested by her: 404 too
    assert client.post(f"/footage/{mine.pk}/link/", {f"i{mine.pk}-case": case.pk,
                                                      f"i{mine.pk}-stage": "start"}).status_code == 404
    assert not FootageLink.objects.exists()


def test_case_not_among_the_officers_is_refused(client, world, items):
    """A case the officer is not on is not a choice of the form: a 400, nothing linked."""
    mine, _ = items
    case = world.open_case(officer=world.officer3)
    login_verified(client, world.officer)
    resp = client.post(f"/footage/{mine.pk}/link/", {f"i{mine.pk}-case": case.pk, f"i{mine.pk}-stage": "start"})
    assert resp.status_code == 400 and "所选案件无效" in resp.content.decode()
    assert not FootageLink.objects.exists()


def test_mark_important_from_the_page(client, world, items):
    mine, _ = items
    login_verified(client, world.officer)
    assert client.post(f"/footage/{mine.pk}/mark/", {"important": "1"}).status_code == 302
    assert FootageMark.objects.get().important is True
    assert "重点文件" in client.get("/footage/").content.decode()


def test_the_navigation_leads_officers_and_the_device_admin_to_the_holding_area(client, world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    device_admin = acc.create_user(None, username="shebei", full_name="设备员", password=world.PASSWORD,
                                   agency=world.agency, roles=[Role.DEVICE_ADMIN])
    for user, shown in ((world.officer, True), (device_admin, True), (world.agency_head, True),
                        (world.reviewer, False)):
        login_verified(client, user)
        page = client.get("/cases/" if user is not device_admin else "/devices/").content.decode()
        assert ('href="/footage/"' in page) is shown, user.username


def test_the_page_reads_sidecars_once_however_many_items(client, world, tmp_path):
    """The holding area lists each video with its sidecars: one query for all, not one per item."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, admin = signed_out_camera(world)
    login_verified(client, admin)
    now = timezone.now() + datetime.timedelta(seconds=5)

    def queries_with(n):
        root = dump(tmp_path / f"n{n}", *[f"V{n}_{i}.MP4" for i in range(n)], recorded=now)
        assert ingest(str(root), "--device", NUMBER).code == 0
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/footage/").status_code == 200
        # the sidecars of the listed videos: "WHERE … video_id IN (…)" or "= …" per item
        return sum("footage_footageitem" in q["sql"] and ('."video_id" IN' in q["sql"] or '."video_id" =' in q["sql"])
                   for q in ctx.captured_queries)

    assert queries_with(1) == queries_with(3) == 1
