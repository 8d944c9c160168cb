"""Who may look at footage: the officer it is attributed to or who ingested it, the 设备管理员 and
机关负责人, and whoever may read a case it is linked to. Anyone else gets 404 like a missing id, and
the try is in the ledger. Opening the page is a read event (ids, never names)."""
import pytest

from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role
from liuhen.footage import services
from liuhen.footage import vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.ledger.refusals import DENIED
from liuhen.ledger.services import event_of
from liuhen.testing.playback import only_video
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.django_db

URLS = ("/footage/{pk}/", "/footage/{pk}/stream", "/footage/{pk}/poster")


def codes(client, item):
    return [client.get(u.format(pk=item.pk)).status_code for u in URLS]


def test_the_attributed_officer_the_device_admin_and_the_agency_head_see_it(client, world, tmp_path):
    item = only_video(world, tmp_path, "SEEN.MP4")
    for who in (world.officer, world.device_admin, world.agency_head):
        login_verified(client, who)
        assert codes(client, item) == [200, 200, 200], who.username


def test_others_get_404_like_a_missing_id_and_the_try_is_recorded(client, world, tmp_path):
    item = only_video(world, tmp_path, "HIDDEN.MP4")
    other_agency = acc.create_agency(None, name="另一市水务局", short_name="另水")
    stranger = acc.create_user(None, username="waiju", full_name="外局人员", password=world.PASSWORD,
                               agency=other_agency, roles=[Role.DEVICE_ADMIN])
    for who in (world.officer3, world.outsider, world.reviewer, world.sysadmin, stranger):
        login_verified(client, who)
        before = Entry.objects.filter(action=DENIED, actor_id=who.pk, object_id=str(item.pk)).count()
        assert codes(client, item) == [404, 404, 404], who.username
        hidden, missing = client.get(f"/footage/{item.pk}/"), client.get("/footage/999999/")
        assert hidden.status_code == missing.status_code == 404 and "页面不存在" in hidden.content.decode()
        assert Entry.objects.filter(action=DENIED, actor_id=who.pk, object_id=str(item.pk)).count() == before + 4  # three URLs and the page again
    assert not Entry.objects.filter(action__in=(v.PLAY, v.STREAM)).exclude(actor_id=None).exists()


def test_a_reader_of_a_linked_case_may_see_it(client, world, tmp_path):
    item = only_video(world, tmp_path, "LINKED.MP4")
    case = world.open_case()
    login_verified(client, world.reviewer)  # 法制审核人员: reads every case, but the footage is in no case yet
    assert codes(client, item) == [404, 404, 404]
    link = services.link(world.officer, item, case, case.stage)
    for who in (world.reviewer, world.officer2, world.officer3):  # reviewer, case officer, unit colleague
        login_verified(client, who)
        assert codes(client, item) == [200, 200, 200], who.username
    login_verified(client, world.outsider)  # another unit: cannot read the case
    assert codes(client, item) == [404, 404, 404]
    services.unlink(world.officer, link, "关联错误")
    login_verified(client, world.reviewer)  # unlinked: back in the holding area, out of the reviewer's sight
    assert codes(client, item) == [404, 404, 404]


def test_opening_the_page_is_a_read_event_with_ids_only(client, world, tmp_path):
    item = only_video(world, tmp_path, "READ.MP4")
    login_verified(client, world.officer)
    html = client.get(f"/footage/{item.pk}/").content.decode()
    entry = Entry.objects.get(action=v.PLAY, actor_id=world.officer.pk)
    event = event_of(entry)
    assert event["object"] == {"type": "footage", "id": str(item.pk), "version": None}
    assert event["detail"] == {"item": item.pk, "kind": "video"}
    assert "READ.MP4" not in bytes(entry.leaf).decode() and "张明" not in bytes(entry.leaf).decode()
    # The page: facts, the player with its source and poster, the overlay with the viewer's name.
    for text in ("READ.MP4", "h264", "320×240", "JL00001", "张明", "UTC+08:00", "录制时间（UTC）",
                 f'src="/footage/{item.pk}/stream"', f'poster="/footage/{item.pk}/poster"',
                 'data-viewer="张明"', "张明（zhang）正在查看", "footage/player.js", "SHA-256", item.blob_id):
        assert text in html, text
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style


def test_a_photo_is_shown_inline_and_audio_in_an_audio_player(client, world, tmp_path):
    from liuhen.testing.playback import ingested

    items = ingested(world, tmp_path)
    login_verified(client, world.device_admin)
    photo = client.get(f"/footage/{items['PIC.JPG'].pk}/").content.decode()
    assert f'<img class="photo" src="/footage/{items["PIC.JPG"].pk}/stream"' in photo and "<video" not in photo
    audio = client.get(f"/footage/{items['REC.WAV'].pk}/").content.decode()
    assert "<audio" in audio and "<video" not in audio
    video = client.get(f"/footage/{items['VID.MP4'].pk}/").content.decode()
    assert "VID.NMEA" in video and f'href="/footage/{items["VID.NMEA"].pk}/stream"' in video
