"""The inspector's pages through the test client: drawing a round, its page, the findings form,
the re-draw check, closing, the 抽检台账 and its Excel export (opened with openpyxl) — and every
refusal a 4xx page with what was typed, in the ledger."""
import io

import pytest
from django.utils import timezone

from liuhen.inspections import services
from liuhen.inspections import vocabulary as v
from liuhen.inspections.models import Finding, Round, RoundClose
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.devices import camera
from liuhen.testing.inspections import all_pass, finish, restored
from liuhen.testing.otp import login_verified


@pytest.fixture
def built(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    # built once per run and copied in (liuhen.testing.demo): three videos made and taken in per test cost seconds
    return restored("three_videos_scene", fresh_home, settings.LIUHEN_BLOB_DIR, tmp_path_factory, django_db_blocker)


@pytest.fixture
def world(built):
    return built[0]


@pytest.fixture
def scene(client, built):
    world, insp, items = built
    login_verified(client, insp)
    client.insp = insp
    return client, world, items


def _day():
    return timezone.localdate().isoformat()


def _draw(client, **kw):
    data = {"kind": "footage", "unit": "", "period_from": _day(), "period_to": _day(), "size": "2", "percent": ""}
    data.update(kw)
    return client.post("/inspections/new/", data)


def test_others_are_refused_and_logged(client, world):
    for user in (world.officer, world.unit_head, world.sysadmin):
        login_verified(client, user)
        for url in ("/inspections/", "/inspections/new/", "/inspections/ledger/", "/inspections/ledger.xlsx"):
            assert client.get(url).status_code == 403
    assert Entry.objects.filter(action="access.denied", object_id__startswith="/inspections/").count() == 12


def test_draw_a_round_then_record_findings_and_close(scene):
    client, world, items = scene
    page = client.get("/inspections/new/")
    assert page.status_code == 200 and "抽取样本" in page.content.decode()
    resp = _draw(client)
    r = Round.objects.get()
    assert resp.status_code == 302 and resp.url == f"/inspections/{r.pk}/"
    html = client.get(resp.url).content.decode()
    assert r.seed in html and "重新抽取核对" in html and "未检查" in html
    first = next(i for i in items if i.pk == r.sample[0])
    assert f'href="/footage/{first.pk}/"' in html and first.name in html
    # The inspector may watch a sampled item (the footage app's view policy), and its opening is logged.
    assert client.get(f"/footage/{first.pk}/").status_code == 200
    assert Entry.objects.filter(action="footage.play", object_id=str(first.pk), actor_id=client.insp.pk).exists()
    unsampled = next((i for i in items if i.pk not in r.sample), None)
    assert unsampled is None or client.get(f"/footage/{unsampled.pk}/").status_code == 404
    # A failure needs its note: 400, the choices kept, the refusal in the ledger.
    url = f"/inspections/{r.pk}/items/{first.pk}/"
    data = {f"r_{c['code']}": "pass" for c in r.checklist}
    data["r_opening_words"] = "fail"
    resp = client.post(url, data)
    assert resp.status_code == 400 and "不合格的项目请写明问题" in resp.content.decode()
    assert 'value="fail"' in resp.content.decode() and not Finding.objects.exists()
    refused = event_of(Entry.objects.filter(action=v.REFUSED).latest("pk"))
    assert refused["detail"]["fields"] == ["n_opening_words"] and refused["object"]["id"] == str(r.pk)
    data["n_opening_words"] = "未录制开场用语"
    assert client.post(url, data).status_code == 302
    assert Finding.objects.get().failures == 1
    # Closing before every item has a finding: refused, 409, recorded.
    resp = client.post(f"/inspections/{r.pk}/close/")
    assert resp.status_code == 409 and "没有检查结果" in resp.content.decode()
    assert Entry.objects.filter(action=v.DENIED, object_id=str(r.pk)).exists()
    services.record_finding(client.insp, r, r.sample[1], all_pass(r))
    assert client.post(f"/inspections/{r.pk}/close/").status_code == 302
    assert RoundClose.objects.filter(round=r).exists()
    # A finding posted after the close: 409, nothing written.
    assert client.post(url, data).status_code == 409 and Finding.objects.count() == 2
    html = client.get(f"/inspections/{r.pk}/").content.decode()
    assert "已结束" in html and "未录制开场用语" in html


@pytest.mark.parametrize("kw, text", [
    ({"size": "0"}, "抽取数量至少为 1"),
    ({"size": "9"}, "超过了可抽检的音像记录总数 3"),
    ({"size": "", "percent": ""}, "二者选一"),
    ({"unit": "999999"}, "所选科室不存在"),
    ({"period_from": "2026-12-31", "period_to": "2026-01-01"}, "截止日期不能早于起始日期"),
    ({"period_from": "2020-01-01", "period_to": "2020-01-31"}, "没有可抽检的音像记录"),
    ({"period_from": "昨天"}, "请输入有效的日期"),
])
@pytest.mark.pages_only
def test_bad_draws_come_back_with_what_was_typed(scene, kw, text):
    client, world, items = scene
    resp = _draw(client, **kw)
    html = resp.content.decode()
    assert resp.status_code == 400 and text in html
    assert not Round.objects.exists()
    assert Entry.objects.filter(action__in=(v.REFUSED, v.DENIED), actor_id=client.insp.pk).exists()
    if kw.get("period_to"):
        assert kw["period_to"] in html  # nothing typed is lost


def test_redraw_button_shows_the_match(scene):
    client, world, items = scene
    _draw(client)
    r = Round.objects.get()
    resp = client.post(f"/inspections/{r.pk}/redraw/")
    assert resp.status_code == 200 and "重新抽取核对：一致" in resp.content.decode()
    assert event_of(Entry.objects.filter(action=v.REDRAW).latest("pk"))["detail"]["match"] is True
    assert client.get(f"/inspections/{r.pk}/redraw/").status_code == 405


def test_another_agencys_round_is_not_found(scene):
    client, world, items = scene
    _draw(client)
    r = Round.objects.get()
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role
    other = acc.create_agency(None, name="别的局", short_name="别")
    stranger = acc.create_user(None, username="bie", full_name="别人", password=world.PASSWORD, agency=other,
                               roles=[Role.SUPERVISOR])
    login_verified(client, stranger)
    assert client.get(f"/inspections/{r.pk}/").status_code == 404
    assert client.get("/inspections/abc/").status_code == 404
    assert Entry.objects.filter(action="access.denied", object_type="inspection_round", object_id=str(r.pk)).exists()
    login_verified(client, client.insp)
    assert client.get(f"/inspections/{r.pk}/items/123456/").status_code == 404


def test_the_ledger_page_and_its_excel_export(scene, world):
    client, world, items = scene
    from openpyxl import load_workbook

    today = timezone.localdate()
    r = services.draw_round(client.insp, kind="footage", period_from=today, period_to=today, size=2)
    finish(r, client.insp, fail={"opening_words": "=未录制开场用语"})
    camera(world, number="JL-D1", unit=world.unit)
    d = services.draw_round(world.agency_head, kind="device", unit=world.unit, period_from=today, period_to=today,
                            size=1)
    html = client.get("/inspections/ledger/").content.decode()
    assert "抽检台账" in html and "张明" in html and "=未录制开场用语" in html and "JL-D1" in html
    assert "问题统计" in html and "水政监察大队" in html
    assert Entry.objects.filter(action=v.VIEW, object_type=v.LEDGER, actor_id=client.insp.pk).exists()
    resp = client.get("/inspections/ledger.xlsx")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(resp.content))
    assert wb.sheetnames == ["抽检轮次", "检查结果", "问题统计"]
    rounds = list(wb["抽检轮次"].iter_rows(values_only=True))
    assert rounds[0][0] == "轮次" and {row[0] for row in rounds[1:]} == {r.pk, d.pk}
    by_id = {row[0]: row for row in rounds[1:]}
    assert by_id[r.pk][9] == r.seed and by_id[r.pk][11] == "已结束" and by_id[r.pk][13] == 1
    assert by_id[d.pk][11] == "进行中"
    rows = list(wb["检查结果"].iter_rows(values_only=True))
    header = rows[0]
    failed = [row for row in rows[1:] if row[header.index("结果")] == "不合格"]
    assert len(failed) == 1 and failed[0][header.index("检查项目")] == "开场用语完整"
    cell = next(c for c in wb["检查结果"].iter_rows() if c[header.index("结果")].value == "不合格")[header.index("说明")]
    assert cell.value == "=未录制开场用语" and cell.data_type == "s"  # text, never a formula
    assert failed[0][header.index("执法人员/保管人")] == "张明"
    assert sum(1 for row in rows[1:] if row[0] == r.pk) == 2 * len(r.checklist)
    assert [row for row in rows[1:] if row[0] == d.pk][0][header.index("结果")] == "未检查"
    counts = list(wb["问题统计"].iter_rows(values_only=True))
    assert ("执法人员", "张明", 1, 1) in counts and ("科室", "水政监察大队", 1, 1) in counts
    export = event_of(Entry.objects.get(action=v.EXPORT))
    import hashlib
    assert export["detail"]["sha256"] == hashlib.sha256(resp.content).hexdigest()
    assert export["detail"]["rounds"] == 2 and export["actor"]["id"] == client.insp.pk
    # Filtered: devices only.
    wb = load_workbook(io.BytesIO(client.get("/inspections/ledger.xlsx?kind=device").content))
    assert [row[0] for row in wb["抽检轮次"].iter_rows(values_only=True)][1:] == [d.pk]


def test_the_round_list(scene):
    client, world, items = scene
    _draw(client)
    html = client.get("/inspections/").content.decode()
    assert "第 1 轮" in html or "轮</a>" in html
    assert "进行中 0/2" in html


def test_the_ledger_filters(scene):
    client, world, items = scene
    today = timezone.localdate()
    r = services.draw_round(client.insp, kind="footage", period_from=today, period_to=today, size=1)
    html = client.get(f"/inspections/ledger/?drawn_from={today.isoformat()}&kind=footage").content.decode()
    assert f"第 {r.pk} 轮" in html
    later = (today + timezone.timedelta(days=1)).isoformat()
    html = client.get(f"/inspections/ledger/?drawn_from={later}").content.decode()
    assert f"第 {r.pk} 轮" not in html and "尚无抽检轮次" in html
    for query, text in (("drawn_from=明天", "请输入有效的日期"), ("unit=999999", "所选科室不存在"),
                        (f"drawn_from={later}&drawn_to={today.isoformat()}", "截止日期不能早于起始日期")):
        for url in ("/inspections/ledger/", "/inspections/ledger.xlsx"):
            resp = client.get(f"{url}?{query}")
            assert resp.status_code == 400 and text in resp.content.decode()
    assert Entry.objects.filter(action=v.REFUSED, object_type=v.LEDGER).count() == 6
    assert not Entry.objects.filter(action=v.EXPORT).exists()
