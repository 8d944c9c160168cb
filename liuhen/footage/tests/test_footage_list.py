"""音像记录查询 (/footage/list/): each filter returns the right items — party and cause through
the linked cases, officer, device, recording date, kind, linked or not, 重点文件 — the officer sees
what they may see, the 设备管理员 all; the search is a read event with ids only; the page's query
count does not grow with its rows."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.cases import services as cases
from liuhen.footage import services
from liuhen.footage import vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.testing.playback import ingested, only_video
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.django_db

PARTY_ID = "11010519491231002X"


@pytest.fixture
def scene(world, tmp_path):
    """A: 张明's camera, now, linked to a case with the party 王建国 (案由 未经许可取水);
    B: 李强's camera, now, linked to his case 违法采砂 (no party); C: 张明's camera two days ago
    (nobody held it: 未归属), in the holding area; D: 张明's camera now, unlinked, 重点文件."""
    now = timezone.now() + datetime.timedelta(seconds=5)
    a = only_video(world, tmp_path, "A.MP4", number="JL-A", recorded=now)
    b = only_video(world, tmp_path, "B.MP4", number="JL-B", officer=world.officer2, recorded=now, seconds=1.2)
    c = only_video(world, tmp_path, "C.MP4", number="JL-A", recorded=now - datetime.timedelta(days=2), seconds=1.4)
    d = only_video(world, tmp_path, "D.MP4", number="JL-A", recorded=now, seconds=1.6)
    case_a = world.open_case(title="未经许可取水")
    cases.add_party(world.officer, case_a, kind="person", name="王建国", id_number=PARTY_ID)
    services.link(world.officer, a, case_a, case_a.stage)
    case_b = world.open_case(officer=world.officer2, title="违法采砂", officers=[world.officer3])
    services.link(world.officer2, b, case_b, case_b.stage)
    services.mark_important(world.officer, d, True)
    return {"A": a, "B": b, "C": c, "D": d, "case_a": case_a, "case_b": case_b}


def names(client, **params):
    resp = client.get("/footage/list/", params)
    assert resp.status_code == 200, resp.content.decode()[:2000]
    return sorted(it.name[0] for it in resp.context["items"])


def test_each_filter_returns_the_right_items(client, world, scene):
    login_verified(client, world.agency_head)  # sees all footage and reads every case
    assert names(client) == ["A", "B", "C", "D"]
    assert names(client, party="王建") == ["A"]
    assert names(client, party=PARTY_ID) == ["A"]           # the ID number, through the blind index
    assert names(client, party="无此人") == []
    assert names(client, cause="采砂") == ["B"]
    assert names(client, cause="取水", party="王建国") == ["A"]
    assert names(client, cause="采砂", party="王建国") == []
    assert names(client, officer=world.officer.pk) == ["A", "D"]
    assert names(client, officer=world.officer2.pk) == ["B"]
    device_b = scene["B"].device_id
    assert names(client, device=device_b) == ["B"]
    today = timezone.localdate()
    assert names(client, start=today.isoformat()) == ["A", "B", "D"]
    two_days_ago = (today - datetime.timedelta(days=2)).isoformat()
    assert names(client, start=two_days_ago, end=two_days_ago) == ["C"]
    assert names(client, linked="yes") == ["A", "B"]
    assert names(client, linked="no") == ["C", "D"]
    assert names(client, important="on") == ["D"]
    assert names(client, kind="video") == ["A", "B", "C", "D"]
    assert names(client, kind="photo") == []


def test_the_device_admin_sees_all_footage_but_searches_no_case_content(client, world, scene):
    """设备管理员: every item of the agency, but no party or cause (they read no case): those filters
    find nothing, and a row shows that it is linked, not the case."""
    login_verified(client, world.device_admin)
    assert names(client) == ["A", "B", "C", "D"]
    assert names(client, party="王建国") == [] and names(client, cause="采砂") == []
    html = client.get("/footage/list/").content.decode()
    assert scene["case_a"].number not in html and "已关联" in html


def test_kind_filter_with_photos_and_recordings(client, world, tmp_path):
    ingested(world, tmp_path)
    login_verified(client, world.device_admin)
    got = {k: [i.name for i in client.get("/footage/list/", {"kind": k}).context["items"]]
           for k in ("video", "audio", "photo")}
    assert got == {"video": ["VID.MP4"], "audio": ["REC.WAV"], "photo": ["PIC.JPG"]}  # no sidecar listed


def test_officers_see_what_they_may_see(client, world, scene):
    login_verified(client, world.officer)  # own A, D; B is on a case of his unit (unit officers read it);
    assert names(client) == ["A", "B", "D"]  # not C: nobody held the camera then, the system ingested it
    login_verified(client, world.outsider)  # another unit, no footage of her own, no readable case
    assert names(client) == []
    login_verified(client, world.reviewer)  # reads every case: the linked footage only
    assert names(client) == ["A", "B"]
    login_verified(client, world.officer2)  # own B; A through case A, on which he is an officer
    assert names(client) == ["A", "B"]
    assert names(client, party="王建国") == ["A"]
    login_verified(client, world.sysadmin)  # 三员: no case content
    assert client.get("/footage/list/").status_code == 403


def test_rows_show_poster_time_device_officer_cases_and_flags(client, world, scene):
    login_verified(client, world.agency_head)
    html = client.get("/footage/list/").content.decode()
    a, c = scene["A"], scene["C"]
    for text in (f'src="/footage/{a.pk}/poster"', f'href="/footage/{a.pk}/"', "JL-A", "张明", "未归属",
                 scene["case_a"].number, scene["case_b"].number, "录制时设备未被领用", "重点文件", "暂存区",
                 a.recorded_local[:10]):
        assert text in html, text
    assert f'href="/footage/{c.pk}/"' in html


def test_the_search_is_a_read_event_with_codes_and_ids_never_names(client, world, scene):
    login_verified(client, world.agency_head)
    client.get("/footage/list/", {"party": "王建国", "cause": "取水", "officer": world.officer.pk, "linked": "yes"})
    entry = Entry.objects.filter(action=v.SEARCH, actor_id=world.agency_head.pk).latest("pk")
    detail = event_of(entry)["detail"]
    assert detail["filters"] == {"officer": world.officer.pk, "linked": True, "party_cases": [scene["case_a"].pk],
                                 "cause_cases": [scene["case_a"].pk], "page": 1, "items": [scene["A"].pk]}
    assert detail["count"] == 1
    leaf = bytes(entry.leaf).decode()
    assert "王建国" not in leaf and "取水" not in leaf


def test_bad_filters_are_a_400_and_logged(client, world, scene):
    login_verified(client, world.device_admin)
    resp = client.get("/footage/list/", {"start": "2026-13-40", "officer": "999999"})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "请填写有效的日期" in html and "所选执法人员无效" in html
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.device_admin.pk).exists()
    resp = client.get("/footage/list/", {"start": "2026-12-02", "end": "2026-12-01"})
    assert resp.status_code == 400 and "结束日期不能早于开始日期" in resp.content.decode()


def test_pages(client, world, tmp_path, monkeypatch):
    from liuhen.footage import playback

    for i in range(3):
        only_video(world, tmp_path, f"P{i}.MP4", seconds=1.0 + i * 0.2)
    login_verified(client, world.device_admin)
    monkeypatch.setattr(playback, "PAGE_SIZE", 2)
    first = client.get("/footage/list/", {"kind": "video"})
    second = client.get("/footage/list/", {"kind": "video", "page": 2})
    # newest recording first: each only_video was recorded a little later than the one before
    assert [i.name for i in first.context["items"]] == ["P2.MP4", "P1.MP4"]
    assert [i.name for i in second.context["items"]] == ["P0.MP4"]
    assert "下一页" in first.content.decode() and "kind=video&amp;page=2" in first.content.decode()
    assert "上一页" in second.content.decode()


def test_query_count_does_not_grow_with_the_rows(client, world, tmp_path):
    login_verified(client, world.officer)

    def count_with(n):
        case = world.open_case(title=f"案由{n}")
        for i in range(n):
            item = only_video(world, tmp_path, f"Q{n}_{i}.MP4", seconds=1.0 + i * 0.1 + n * 0.01)
            services.link(world.officer, item, case, case.stage)
            services.mark_important(world.officer, item, True)
        # Not counted: what a page asks at most once a while (the session's idle timeout saved once a
        # minute, accounts.sessions) — asked here. (The calendar's look for new years: conftest._steady_calendar.)
        client.get("/footage/list/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/footage/list/").status_code == 200
        return len(ctx.captured_queries), len(client.get("/footage/list/").context["items"])

    small, rows_small = count_with(1)
    large, rows_large = count_with(5)
    assert rows_large == rows_small + 5
    assert large == small
