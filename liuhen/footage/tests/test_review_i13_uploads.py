"""Review of issue 13 (the resumable upload API): defects found by the adversarial review.

Each test here failed (as a strict xfail) before its defect was fixed (branch i13-upfix)."""
import pytest

from liuhen.footage.models import Upload
from liuhen.testing.ingest import NUMBER, signed_out_camera
from liuhen.testing.uploads import Api, staging, station  # noqa: F401  (staging: the fixture)
from liuhen.testing.otp import login_verified

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]


def test_a_path_the_server_cannot_make_is_refused_with_a_4xx(world, tmp_path):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    api.client.raise_request_exception = False
    data = b"not really a video, but the path is the point" * 10
    path = "DCIM/" + "A" * 300 + "/VID_0001.MP4"
    r = api.declare(path, data, NUMBER)
    if r.status_code == 201:  # accepted: then it must end in a clear answer, never a 500
        r = api.chunk(r.json()["id"], 0, data)  # the whole file: the upload ends here
    assert r.status_code < 500, r.status_code


def test_an_upload_id_with_trailing_characters_is_not_the_upload(world):
    """find() cuts the key to 32 characters before looking it up: KEY + "anything" is the upload."""
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    r = api.declare("DCIM/VID_0002.MP4", b"x" * 100, NUMBER)
    key = r.json()["id"]
    assert api.state(key).status_code == 200
    assert api.state(key + "zzz").status_code == 404


def test_a_sidecar_sent_before_its_video_is_not_bound_to_an_older_video_of_the_same_name(world, tmp_path):
    import datetime

    from django.utils import timezone

    from liuhen.footage.models import FootageItem
    from liuhen.testing.footage import video
    from liuhen.testing.ingest import iso_utc

    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    when = timezone.now() + datetime.timedelta(seconds=5)
    day1 = video(tmp_path / "d1.mp4", 1.0, creation_time=iso_utc(when - datetime.timedelta(days=1))).read_bytes()
    assert api.upload("DCIM/VID_0001.MP4", day1, NUMBER).json()["status"] == "new"
    # The camera was wiped; the next shift's files start again at VID_0001. The dock sends the GPS
    # file of the new shift first.
    nmea = b"$GPRMC,013000.00,A,4117.0,N,12346.0,E,0.0,0.0,011226,,,A*00\n"
    r = api.upload("DCIM/VID_0001.NMEA", nmea, NUMBER)
    old = FootageItem.objects.get(name="VID_0001.MP4")
    sidecar = FootageItem.objects.filter(name="VID_0001.NMEA").first()
    # Whatever the answer (refused as an orphan, or held until its video comes), it is not bound to
    # the previous shift's video.
    assert sidecar is None or sidecar.video_id != old.pk, r.json()


def test_an_invalid_request_of_a_station_is_in_the_ledger(world):
    import json

    from liuhen.ledger.models import Entry

    signed_out_camera(world)
    _, token = station(world)
    before = Entry.objects.count()
    bad = Api(token).client.post("/api/footage/uploads", json.dumps({"name": "A.MP4", "size": "lots"}),
                                 content_type="application/json", headers={"Authorization": f"Bearer {token}"})
    assert bad.status_code == 400
    assert Entry.objects.count() > before, "a refused (invalid) request of a station left no trace"


def test_a_csrf_failure_on_the_api_is_in_the_ledger(world):
    """Sound: ninja's CSRF check goes through Django's CsrfViewMiddleware, whose failure view
    (web.views.csrf_failure) records web.refused."""
    import json

    from liuhen.ledger.models import Entry

    signed_out_camera(world)
    api = Api(user=world.officer)
    before = Entry.objects.filter(action="web.refused").count()
    no_csrf = api.client.post("/api/footage/uploads", json.dumps({"name": "A.MP4", "size": 1, "sha256": "0" * 64,
                                                                  "device": NUMBER}),
                              content_type="application/json")  # the session cookie, no X-CSRFToken
    assert no_csrf.status_code == 403
    assert Entry.objects.filter(action="web.refused").count() == before + 1


def test_confirm_is_for_those_who_may_upload(world, tmp_path):
    import datetime
    import json

    from django.test import Client
    from django.utils import timezone

    from liuhen.testing.footage import video
    from liuhen.testing.ingest import iso_utc

    signed_out_camera(world)
    when = timezone.now() + datetime.timedelta(seconds=5)
    data = video(tmp_path / "c.mp4", 0.5, creation_time=iso_utc(when)).read_bytes()
    r = Api(user=world.officer).upload("DCIM/VID_0009.MP4", data, NUMBER)
    digest = r.json()["sha256"]
    client = Client(enforce_csrf_checks=True)
    login_verified(client, world.sysadmin)
    token = "a" * 32  # a CSRF cookie of the client's own, sent back in the header (Django accepts it)
    client.cookies["csrftoken"] = token
    resp = client.post("/api/footage/confirm", json.dumps({"sha256": [digest]}), content_type="application/json",
                       headers={"X-CSRFToken": token})
    assert resp.status_code == 403 or not resp.json()["files"][0]["stored"], resp.content


def test_a_retry_in_the_window_after_the_ingest_does_not_rewrite_the_result(world, tmp_path, monkeypatch):
    import datetime

    from django.utils import timezone

    from liuhen.footage import uploads
    from liuhen.footage.models import FootageItem, UploadEnd
    from liuhen.testing.footage import video
    from liuhen.testing.ingest import iso_utc

    signed_out_camera(world)
    st, token = station(world)
    when = timezone.now() + datetime.timedelta(seconds=5)
    data = video(tmp_path / "race.mp4", 0.5, creation_time=iso_utc(when)).read_bytes()
    real_end, seen = uploads._end, []

    def second_request_between(upload, status, **kw):
        # Where a concurrent request would run: after the first ingested, before its end. It may be
        # told to wait (409 busy), or given the first's end; it may not record an end of its own.
        if not seen:
            seen.append(status)
            try:
                second.append(uploads.complete(uploads.Sender(station=st), Upload.objects.get(pk=upload.pk)).status)
            except uploads.UploadError as exc:
                second.append(exc.code)
        return real_end(upload, status, **kw)

    second = []

    monkeypatch.setattr(uploads, "_end", second_request_between)
    r = Api(token).upload("DCIM/RACE0001.MP4", data, NUMBER)
    item = FootageItem.objects.get(name="RACE0001.MP4")
    end = UploadEnd.objects.get()
    assert seen == ["new"]  # the first request stored the file
    assert end.status == "new" and end.item_id == item.pk, (end.status, r.json())
    assert second == ["busy"] and r.json()["status"] == "new"
    # The retry after the end (its staged bytes gone) gets the same end, not a 410 or a new ingest.
    again = uploads.complete(uploads.Sender(station=st), Upload.objects.get(pk=end.upload_id))
    assert again.pk == end.pk and FootageItem.objects.filter(name="RACE0001.MP4").count() == 1


def test_an_ingest_number_out_of_range_is_a_400(world):
    """Sound (checked): an `ingest` past 2**63 is refused with 400, on SQLite and PostgreSQL."""
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    api.client.raise_request_exception = False
    r = api.declare("DCIM/VID_0003.MP4", b"y" * 100, NUMBER, ingest=10 ** 20)
    assert r.status_code == 400, r.status_code
