"""The copies pages (证据复制), as each role uses them: the request from the player or the case, the
approval, the package made and downloaded (by the office only, each download in the ledger), the
handover; refusals answer 4xx and are recorded. And BX 11 on the player: originals are streamed
inline for viewing, never offered as a download."""
import io
import zipfile

import pytest
from django.utils import timezone

from liuhen.copies import vocabulary as v
from liuhen.copies.models import CopyHandover, CopyPackage, CopyRequest
from liuhen.ledger.models import Entry
from liuhen.testing.copies import approved, case_with_footage, requested
from liuhen.testing.playback import only_video
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")


def body(resp) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


def test_the_player_offers_a_request_not_a_download(client, world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    item = c.items[0]
    stray = only_video(world, tmp_path, "STRAY.MP4", seconds=2.5)
    login_verified(client, world.officer)
    page = client.get(f"/footage/{item.pk}/").content.decode()
    assert f'href="/copies/new/{c.case.pk}/?item={item.pk}"' in page and "申请证据复制" in page
    assert 'controlsList="nodownload' in page and " download" not in page
    assert "申请证据复制" not in client.get(f"/footage/{stray.pk}/").content.decode()  # linked to no case
    # Someone who may see the item but not ask for a copy: no link.
    login_verified(client, world.device_admin)
    assert "申请证据复制" not in client.get(f"/footage/{item.pk}/").content.decode()
    # The stream stays inline whatever the query asks; Range still works.
    login_verified(client, world.officer)
    for query in ("", "?download", "?download=1", "?dl=1&attachment=1"):
        resp = client.get(f"/footage/{item.pk}/stream{query}", HTTP_RANGE="bytes=0-9")
        assert resp.status_code == 206 and resp["Content-Disposition"].startswith("inline"), query
        assert len(body(resp)) == 10


def test_request_form_from_a_case(client, world, tmp_path):
    c = case_with_footage(world, tmp_path)
    login_verified(client, world.officer)
    url = f"/copies/new/{c.case.pk}/"
    page = client.get(url + f"?item={c.items[0].pk}").content.decode()
    assert "A.MP4" in page and "B.MP4" in page and "checked" in page
    assert Entry.objects.filter(action=v.VIEW, object_type="case", object_id=str(c.case.pk)).exists()
    data = {"items": [str(c.items[1].pk)], "receiver_kind": "procuratorate", "receiver_name": "测试市人民检察院",
            "purpose": "审查起诉", "court_case_number": ""}
    resp = client.post(url, data)
    row = CopyRequest.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/copies/{row.pk}/" and row.item_ids == [c.items[1].pk]
    # An item not linked to the case: 400, the typed fields kept, the refusal recorded.
    stray = only_video(world, tmp_path, "STRAY.MP4", seconds=2.5)
    resp = client.post(url, dict(data, items=[str(stray.pk)]))
    assert resp.status_code == 400 and "测试市人民检察院" in resp.content.decode()
    assert Entry.objects.filter(action=v.DENIED, object_type="case", object_id=str(c.case.pk)).exists()
    assert CopyRequest.objects.count() == 1
    # Someone not on the case: 403; a case they may not see: 404.
    login_verified(client, world.outsider)
    assert client.get(url).status_code == 404
    login_verified(client, world.reviewer)  # reads every case, asks for no copy
    assert client.get(url).status_code == 403


def test_approve_make_download_handover_through_the_pages(client, world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = requested(c)
    url = f"/copies/{row.pk}/"
    # The archivist cannot make it before the approval: 409, recorded.
    login_verified(client, world.archivist)
    assert "制作复制包" not in client.get(url).content.decode()
    resp = client.post(url + "make/")
    assert resp.status_code == 409 and "尚未经批准" in resp.content.decode()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.archivist.pk).exists()

    login_verified(client, world.agency_head)
    page = client.get(url).content.decode()
    assert "提交审批" in page
    assert client.post(url + "decide/", {"decision": "decline"}).status_code == 400  # a refusal needs its opinion
    assert client.post(url + "decide/", {"decision": "approve", "opinion": "同意。"}).status_code == 302

    login_verified(client, world.archivist)
    assert "制作复制包" in client.get(url).content.decode()
    assert client.post(url + "make/").status_code == 302
    package = CopyPackage.objects.get()
    page = client.get(url).content.decode()
    assert package.manifest_sha256 in page and "下载复制包" in page
    # The date input is given today as a browser's <input type=date> reads it (ISO), not in the locale's format.
    assert f'type="date" name="handed_on" value="{timezone.localdate().isoformat()}"' in page

    resp = client.get(url + "download/")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/zip"
    assert resp["Content-Disposition"].startswith("attachment")
    z = zipfile.ZipFile(io.BytesIO(body(resp)))
    names = z.namelist()
    assert f"证据复制包-{row.pk}/manifest.json" in names and any("/files/" in n for n in names)
    import hashlib

    assert hashlib.sha256(z.read(f"证据复制包-{row.pk}/manifest.json")).hexdigest() == package.manifest_sha256
    assert Entry.objects.filter(action=v.DOWNLOAD, object_id=str(package.pk), actor_id=world.archivist.pk).count() == 1

    # Nobody else downloads it: not the officer who asked, not the leader who approved.
    for who in (world.officer, world.agency_head):
        login_verified(client, who)
        assert client.get(url + "download/").status_code == 403
        assert "下载复制包" not in client.get(url).content.decode()

    login_verified(client, world.archivist)
    resp = client.post(url + "handover/", {"receiver_person": "王法官", "receiver_org": "测试市平山区人民法院",
                                            "handed_on": "", "method": "in_person"})
    assert resp.status_code == 400 and not CopyHandover.objects.exists()
    resp = client.post(url + "handover/", {"receiver_person": "王法官", "receiver_org": "测试市平山区人民法院",
                                            "handed_on": timezone.localdate().isoformat(), "method": "in_person"})
    assert resp.status_code == 302
    page = client.get(url).content.decode()
    assert "王法官" in page and "已移交" in page and "移交证据复制包" in page

    listing = client.get("/copies/?status=handed_over").content.decode()
    assert f"第 {row.pk} 号" in listing
    assert f"第 {row.pk} 号" not in client.get("/copies/?status=pending").content.decode()
    assert client.get("/copies/?status=bogus").status_code == 400
    assert Entry.objects.filter(action=v.VIEW, object_type=v.REGISTER).exists()


def test_a_changed_kept_package_is_not_downloaded(client, world, tmp_path):
    from liuhen.copies import services
    from liuhen.copies.package import package_dir

    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    package = services.make_package(world.archivist, approved(c))
    (package_dir(package) / "manifest.json").write_text("{}")
    login_verified(client, world.archivist)
    resp = client.get(f"/copies/{package.request_id}/download/")
    assert resp.status_code == 409 and "已被改动" in resp.content.decode()


def test_who_sees_which_request(client, world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = requested(c)
    url = f"/copies/{row.pk}/"
    for who in (world.officer, world.officer2, world.unit_head, world.agency_head, world.archivist,
                world.device_admin):
        login_verified(client, who)
        assert client.get(url).status_code == 200, who.username
        assert f"第 {row.pk} 号" in client.get("/copies/").content.decode(), who.username
    login_verified(client, world.outsider)  # another unit's officer
    assert client.get(url).status_code == 404
    assert f"第 {row.pk} 号" not in client.get("/copies/").content.decode()
    assert Entry.objects.filter(action="access.denied", object_type="copy_request", object_id=str(row.pk)).exists()
    login_verified(client, world.sysadmin)
    assert client.get("/copies/").status_code == 403
    assert client.get(url).status_code == 404


def test_the_case_page_lists_its_copies(client, world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    login_verified(client, world.officer)
    page = client.get(f"/cases/{c.case.pk}/").content.decode()
    assert f'href="/copies/new/{c.case.pk}/"' in page
    row = requested(c)
    page = client.get(f"/cases/{c.case.pk}/").content.decode()
    assert f'href="/copies/{row.pk}/"' in page and "待审批" in page
    login_verified(client, world.reviewer)  # reads the case, asks for no copy
    page = client.get(f"/cases/{c.case.pk}/").content.decode()
    assert f'href="/copies/{row.pk}/"' in page and f'href="/copies/new/{c.case.pk}/"' not in page
