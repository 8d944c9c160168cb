"""BX 11 (officers do not keep copies of the records): footage of a type no browser plays inline
(application/octet-stream — an SVG, a file of unknown type) is not served by /stream at all: 403
with the Chinese reason pointing to the copy request (LW-D 13), the refusal in the ledger. A sidecar
(the GPS text beside a video) stays a text download."""
import pytest

from liuhen.footage import vocabulary as v
from liuhen.footage.models import FootageItem
from liuhen.ledger import services as ledger
from liuhen.ledger.models import Entry
from liuhen.testing.ingest import ingest
from liuhen.testing.playback import camera_of, ingested

pytestmark = pytest.mark.django_db

MESSAGE = "该文件无法在线播放；如需原件，请申请证据复制（LW-D 13）"


def _body(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


@pytest.fixture
def svg(world, tmp_path):
    camera_of(world, world.officer, "JL00001")
    root = tmp_path / "svgdump"
    root.mkdir()
    (root / "MAP.SVG").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                  '<rect width="10" height="10"/></svg>')
    assert ingest(str(root), "--device", "JL00001").code == 0
    return FootageItem.objects.get(name="MAP.SVG")


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("query", ["", "?download=1"])
def test_a_file_of_unknown_type_is_refused_not_downloaded(client, world, svg, method, query):
    client.force_login(world.device_admin)
    before = Entry.objects.filter(action=v.DENIED, object_id=str(svg.pk)).count()
    resp = getattr(client, method)(f"/footage/{svg.pk}/stream{query}", HTTP_RANGE="bytes=0-")
    assert resp.status_code == 403
    assert "Content-Disposition" not in resp
    assert b"<svg" not in _body(resp)
    if method == "get":
        assert MESSAGE in resp.content.decode()
    denied = list(Entry.objects.filter(action=v.DENIED, object_type=FootageItem.ledger_object_type,
                                       object_id=str(svg.pk), actor_id=world.device_admin.pk).order_by("id"))
    assert len(denied) == before + 1
    detail = ledger.event_of(denied[-1])["detail"]
    assert detail["status"] == 403 and "not_playable" in detail["codes"]
    # No read of the bytes was logged: none left the server.
    assert not Entry.objects.filter(action=v.STREAM, object_id=str(svg.pk)).exists()


def test_media_and_sidecars_are_still_served(client, world, tmp_path):
    items = ingested(world, tmp_path)
    client.force_login(world.officer)
    video = client.get(f"/footage/{items['VID.MP4'].pk}/stream")
    assert video.status_code == 200 and video["Content-Disposition"].startswith("inline")
    sidecar = client.get(f"/footage/{items['VID.NMEA'].pk}/stream")
    assert sidecar.status_code == 200 and sidecar["Content-Disposition"].startswith("attachment")
