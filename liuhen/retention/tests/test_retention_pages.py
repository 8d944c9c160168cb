"""The retention pages: 保存期限 with its filters, 待清理公告 for the custodians only, a file's and a
case's page with the hold, ground, withdrawal, release and restore forms; every refusal recorded,
answered in Chinese with a 4xx, and what was typed kept; a removed file no longer played or listed."""
import pytest
from django.template import Context, Template
from django.test import RequestFactory

from liuhen.footage import services as footage
from liuhen.ledger.models import Entry
from liuhen.retention import services
from liuhen.retention import vocabulary as v
from liuhen.retention.models import LegalHold, LongTermGround, Removal, Restoration
from liuhen.testing.retention import Shelf, ago, run_at
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def scene(world, tmp_path):
    shelf = Shelf(world, tmp_path)
    old = shelf.clip(ago(days=200))     # announced, due within days
    linked = shelf.clip(ago(days=200))  # evidence of an open case
    young = shelf.clip(ago(days=3))
    case = world.open_case()
    footage.link(world.officer, linked, case, case.stage)
    run_at(ago(days=1))
    return shelf, old, linked, young, case


def client_for(client, user):
    login_verified(client, user)
    return client


def test_the_list_shows_class_date_and_reason_and_filters(client, scene):
    shelf, old, linked, young, case = scene
    c = client_for(client, shelf.admin)
    page = c.get("/retention/").content.decode()
    assert "保存期限" in page and old.name in page and linked.name in page and young.name in page
    assert "作为证据使用" in page and "案件归档后起算" in page and "待清理" in page
    page = c.get("/retention/?cls=evidence").content.decode()
    assert linked.name in page and old.name not in page
    page = c.get("/retention/?state=due").content.decode()
    assert old.name in page and young.name not in page
    before = Entry.objects.filter(action=v.DENIED).count()
    r = c.get("/retention/?cls=nonsense")
    assert r.status_code == 400 and "所选保存类别无效" in r.content.decode()
    assert Entry.objects.filter(action=v.DENIED).count() == before + 1
    assert Entry.objects.filter(action=v.VIEW, actor_id=shelf.admin.pk).exists()


@pytest.mark.pages_only
def test_notices_are_for_the_custodians(client, scene):
    shelf, old, linked, young, case = scene
    world = shelf.world
    for user, sees in ((world.officer, True), (shelf.admin, True), (world.agency_head, True),
                       (world.officer2, False)):
        page = client_for(client, user).get("/retention/notices/").content.decode()
        assert (old.name in page) is sees, user
        assert young.name not in page and linked.name not in page
    r = client_for(client, world.sysadmin).get("/retention/notices/")
    assert r.status_code == 403


@pytest.mark.pages_only
def test_the_home_page_notice_tag(scene):
    shelf, old, *_ = scene
    request = RequestFactory().get("/")
    request.user = shelf.world.officer
    html = Template("{% load retention %}{% retention_notices %}").render(Context({"request": request}))
    assert "1 个文件已公告待清理" in html and "/retention/notices/" in html
    request.user = shelf.world.officer2
    assert "待清理" not in Template("{% load retention %}{% retention_notices %}").render(Context({"request": request}))


def test_hold_and_release_on_an_item(client, scene):
    shelf, old, *_ = scene
    world = shelf.world
    url = f"/retention/item/{old.pk}/"
    c = client_for(client, world.agency_head)
    r = c.post(url, {"act": "hold", "hold-reason": ""})
    assert r.status_code == 400 and "请填写理由" in r.content.decode()
    r = c.post(url, {"act": "hold", "hold-reason": "法院调取证据"})
    assert r.status_code == 302
    hold = LegalHold.objects.get(item=old)
    page = c.get(url).content.decode()
    assert "法院调取证据" in page and "法律保全" in page
    r = c.post(url, {"act": "hold", "hold-reason": "再次保全"})
    assert r.status_code == 409 and "已在法律保全中" in r.content.decode() and "再次保全" in r.content.decode()
    # An officer may not hold: refused, recorded, the typed reason kept.
    c = client_for(client, world.officer)
    before = Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk).count()
    r = c.post(url, {"act": "hold", "hold-reason": "我想保全"})
    assert r.status_code == 403 and "不能决定法律保全" in r.content.decode()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer.pk).count() == before + 1
    c = client_for(client, world.reviewer)  # the legal reviewer may release (hold_roles)
    r = c.post(url, {"act": "release", "release-row": hold.pk, "release-reason": "诉讼结束"})
    assert r.status_code == 302 and LegalHold.objects.filter(releases=hold).exists()


def test_grounds_by_role(client, scene):
    shelf, old, linked, young, case = scene
    world = shelf.world
    c = client_for(client, world.officer)  # an officer of the case registers the objection
    r = c.post(f"/retention/case/{case.pk}/", {"act": "ground", "ground-kind": "objection",
                                               "ground-reason": "当事人对现场检查提出异议"})
    assert r.status_code == 302
    assert services.policy.verdict(linked, ago(seconds=0)).retention_class == "long_term"
    # The (三) decision is the agency head's: an officer is not offered it and is refused it.
    r = c.post(f"/retention/item/{young.pk}/", {"act": "ground", "ground-kind": "important",
                                                "ground-reason": "重大案件"})
    assert r.status_code == 400 and "所选依据无效" in r.content.decode()
    c = client_for(client, world.agency_head)
    r = c.post(f"/retention/item/{young.pk}/", {"act": "ground", "ground-kind": "important",
                                                "ground-reason": "重大社会影响"})
    assert r.status_code == 302
    ground = LongTermGround.objects.get(item=young)
    r = c.post(f"/retention/item/{young.pk}/", {"act": "withdraw", "withdraw-row": ground.pk, "withdraw-reason": ""})
    assert r.status_code == 400 and "请填写理由" in r.content.decode()
    r = c.post(f"/retention/item/{young.pk}/", {"act": "withdraw", "withdraw-row": ground.pk,
                                                "withdraw-reason": "经复核不属重要情形"})
    assert r.status_code == 302 and LongTermGround.objects.filter(withdraws=ground).exists()
    # Another officer, not on the case: 404 for the case page, recorded.
    c = client_for(client, world.outsider)
    assert c.get(f"/retention/case/{case.pk}/").status_code == 404
    assert Entry.objects.filter(action="access.denied", actor_id=world.outsider.pk).exists()
    # The case page shows the card.
    page = client_for(client, world.officer).get(f"/cases/{case.pk}/").content.decode()
    assert "音像资料保存" in page and "长期保存：当事人提出异议" in page


def test_a_removed_file_is_not_played_nor_listed_and_can_be_restored(client, scene):
    shelf, old, *_ = scene
    world = shelf.world
    # A clip old enough to have been announced 45 days ago and removed 2 days ago.
    older = shelf.clip(ago(days=250))
    run_at(ago(days=45))
    run_at(ago(days=2))
    removal = Removal.objects.get(item=older)
    c = client_for(client, world.officer)
    page = c.get(f"/footage/{older.pk}/").content.decode()
    assert "已移除" in page and "前恢复" in page and "<video" not in page
    assert c.get(f"/footage/{older.pk}/stream").status_code == 410
    assert older.name not in c.get("/footage/list/").content.decode()
    assert older.name not in c.get("/footage/").content.decode()
    # An officer may not restore; the 设备管理员 may, with a reason.
    r = c.post(f"/retention/item/{older.pk}/", {"act": "restore", "restore-row": removal.pk,
                                                "restore-reason": "需要"})
    assert r.status_code == 403 and not Restoration.objects.exists()
    c = client_for(client, shelf.admin)
    r = c.post(f"/retention/item/{older.pk}/", {"act": "restore", "restore-row": removal.pk, "restore-reason": ""})
    assert r.status_code == 400
    r = c.post(f"/retention/item/{older.pk}/", {"act": "restore", "restore-row": removal.pk,
                                                "restore-reason": "投诉处理需要"})
    assert r.status_code == 302 and Restoration.objects.filter(removal=removal).exists()
    assert c.get(f"/footage/{older.pk}/stream").status_code == 200
    r = c.post(f"/retention/item/{older.pk}/", {"act": "bogus"})
    assert r.status_code == 400 and "未知的操作" in r.content.decode()


def test_play_page_shows_the_class_and_hold(client, scene):
    shelf, old, linked, young, case = scene
    services.place_hold(shelf.world.agency_head, item=young, reason="复议")
    c = client_for(client, shelf.world.officer)
    page = c.get(f"/footage/{young.pk}/").content.decode()
    assert "法律保全" in page and "原始音像资料·保存至" in page
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "证据·案件未归档" in page
