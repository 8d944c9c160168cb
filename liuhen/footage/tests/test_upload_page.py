"""The browser side of uploads: the page (/footage/upload/) for officers and the 设备管理员, and the
same API with the session and the CSRF header instead of a station token."""
import datetime
import json

import pytest
from django.utils import timezone

from liuhen.footage.models import FootageItem
from liuhen.ledger.models import Entry
from liuhen.ledger.refusals import DENIED
from liuhen.testing.footage import video
from liuhen.testing.ingest import NUMBER, iso_utc, signed_out_camera
from liuhen.testing.uploads import Api, staging  # noqa: F401  (staging: the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]


def test_the_page_for_officers_and_the_device_admin(world, client):
    d, admin = signed_out_camera(world)
    client.force_login(world.officer)
    holding = client.get("/footage/")
    assert b'href="/footage/upload/"' in holding.content
    page = client.get("/footage/upload/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "上传音像记录" in html and f'<option value="{NUMBER}" selected>' in html  # the camera they hold
    assert 'src="/static/footage/upload.js"' in html and "<script>" not in html  # no inline script (CSP)
    assert "csrftoken" in page.cookies
    client.force_login(admin)
    assert client.get("/footage/upload/").status_code == 200
    assert b'href="/footage/upload/"' in client.get("/footage/").content


@pytest.mark.parametrize("who", ["agency_head", "reviewer"])
def test_others_are_refused_and_logged(world, client, who):
    signed_out_camera(world)
    client.force_login(getattr(world, who))
    assert client.get("/footage/upload/").status_code == 403
    assert b'href="/footage/upload/"' not in client.get("/footage/").content
    assert Entry.objects.filter(action=DENIED).exists() or Entry.objects.filter(action__endswith=".denied").exists()
    # and through the API
    api = Api(user=getattr(world, who))
    r = api.declare("A.MP4", b"abc", NUMBER)
    assert r.status_code == 403 and "只有设备管理员或执法人员" in r.json()["detail"]


def test_an_officer_uploads_through_the_api_with_the_session(world, client, tmp_path):
    signed_out_camera(world)
    when = timezone.now() + datetime.timedelta(seconds=5)
    data = video(tmp_path / "v.mp4", 1.0, creation_time=iso_utc(when)).read_bytes()
    api = Api(user=world.officer)
    r = api.upload("VID_0001.MP4", data, NUMBER, step=8192)
    assert r.status_code == 200 and r.json()["status"] == "new" and r.json()["confirmed"]
    item = FootageItem.objects.get()
    assert item.ingested_by == world.officer and item.officer == world.officer and item.ingest.source == "web"
    assert item.flags == []
    ev = json.loads(bytes(Entry.objects.filter(action="footage.upload").get().leaf))
    assert ev["actor"]["id"] == world.officer.pk and ev["request"]["channel"] == "api"
    client.force_login(world.officer)
    assert "VID_0001.MP4" in client.get("/footage/").content.decode()
    # Another officer's session does not reach this upload.
    key = r.json()["id"]
    assert Api(user=world.officer2).state(key).status_code == 404
    # Another officer uploading this camera's footage: kept and flagged, the uploader is not the holder.
    data2 = video(tmp_path / "w.mp4", 0.7, creation_time=iso_utc(when)).read_bytes()
    assert Api(user=world.officer2).upload("VID_0002.MP4", data2, NUMBER).json()["status"] == "new"
    assert FootageItem.objects.get(name="VID_0002.MP4").flags == ["uploader_not_holder"]


def test_csrf_and_login_are_required(world, client):
    signed_out_camera(world)
    api = Api(user=world.officer)
    del api.headers["X-CSRFToken"]
    r = api.declare("A.MP4", b"abc", NUMBER)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    anonymous = Api()
    r = anonymous.declare("A.MP4", b"abc", NUMBER)
    assert r.status_code == 401 and "未登录" in r.json()["detail"]
    assert anonymous.chunk("a" * 32, 0, b"abc").status_code == 401  # a body from nobody: not read
