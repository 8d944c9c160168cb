"""Footage in a 调用单 (LW-D 15: 调用行政执法全过程记录 — the records and the audio-video): a slip's scope
lists the case's linked footage besides its records, never an unlinked or another case's item; an
outsider's or a party's copy names each footage item by its own blob (handed over as recorded: the copy's
SHA-256 is the source's, no second copy of the bytes), after a watermarked cover sheet listing every item
with its SHA-256; each download a read event, none after the expiry."""
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liuhen.ledger.models import Entry
from liuhen.ledger.services import event_of
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.retrieval import selectors as s
from liuhen.retrieval import services
from liuhen.retrieval import vocabulary as v
from liuhen.retrieval.models import Copy, CopyItem, RetrievalRequest
from liuhen.testing.retrieval import PERSON_ID, approve, archivist, later, outsider_slip, page_texts, staff_slip
from liuhen.testing.snapshots import scene_fixture

pytestmark = pytest.mark.django_db


# built once per run and copied in with its keys and clips (liuhen.testing.snapshots)
built = scene_fixture("built", "liuhen.testing.retrieval_scene:archived_footage_scene")


@pytest.fixture
def world(built):
    return built.world


@pytest.fixture
def scene(built):
    return built.files


def _refusals(act) -> list[dict]:
    events = [event_of(e) for e in Entry.objects.filter(action=v.REFUSED).order_by("id")]
    return [e for e in events if e["detail"]["act"] == act]


def _bytes(sha) -> bytes:
    with store.open_blob(sha) as f:
        return f.read()


def test_a_slip_lists_the_cases_linked_footage_besides_records(world, scene):
    case, (a, b), unlinked, foreign = scene
    assert s.file_footage(case) == [a, b]  # linked, in the order linked; not the unlinked nor another case's
    first = s.file_items(case)[0].record
    req = staff_slip(world, case, record_ids=[first.pk], footage_ids=[str(b.pk), b.pk])
    assert req.record_ids == [first.pk] and req.footage_ids == [b.pk] and not req.whole
    assert [st.record.pk for st in s.scope_records(req)] == [first.pk] and s.scope_footage(req) == [b]
    event = event_of(Entry.objects.get(action=v.REQUEST, object_id=str(req.pk)))
    assert event["detail"]["footage"] == [b.pk] and event["content_sha256"] == req.ledger_digest()
    only_footage = staff_slip(world, case, footage_ids=[a.pk])
    assert s.scope_records(only_footage) == [] and s.scope_footage(only_footage) == [a]
    whole = staff_slip(world, case)
    assert whole.whole and s.scope_footage(whole) == [a, b]
    assert len(s.scope_records(whole)) == len(s.file_items(case))


@pytest.mark.parametrize("which", ["unlinked", "foreign", "missing"])
def test_footage_not_linked_to_the_file_is_refused_and_recorded(world, scene, which):
    case, (a, _b), unlinked, foreign = scene
    bad = {"unlinked": unlinked.pk, "foreign": foreign.pk, "missing": foreign.pk + 1000}[which]
    for act, ask in (("request", lambda: staff_slip(world, case, footage_ids=[a.pk, bad])),
                     ("register", lambda: outsider_slip(world, case, kind="party", footage_ids=[bad]))):
        n = len(_refusals(act))
        with pytest.raises(ValidationError, match="不属于本案卷的音像记录"):
            ask()
        got = _refusals(act)
        assert len(got) == n + 1 and got[-1]["detail"]["codes"] == ["scope"]
    assert not RetrievalRequest.objects.exists() and not Entry.objects.filter(action=v.REQUEST).exists()


def test_a_party_may_ask_for_footage_when_a_record_is_closed(world, scene):
    """Classes stay on records: a private record keeps a whole-file slip out, not one for the footage."""
    case, (a, _b), _unlinked, _foreign = scene
    services.classify(archivist(world), case, s.file_items(case)[0].record.pk, "privacy")
    with pytest.raises(ValidationError, match="个人隐私"):
        outsider_slip(world, case, kind="party")
    req = outsider_slip(world, case, kind="party", footage_ids=[a.pk])
    assert req.footage_ids == [a.pk] and req.record_ids == []


def test_the_copy_names_each_footage_item_by_its_own_blob_after_a_watermarked_cover(world, scene, tmp_path):
    case, (a, b), _unlinked, _foreign = scene
    first = s.file_items(case)[0].record
    req = outsider_slip(world, case, record_ids=[first.pk], footage_ids=[a.pk, b.pk])
    approve(world, req)
    blobs = Blob.objects.count()
    copy = services.make_copy(archivist(world), req)
    sheet, record, *clips = copy.items.order_by("id")
    assert Blob.objects.count() == blobs + 2  # the cover and the record's watermarked PDF; no footage bytes again
    assert sheet.is_cover and sheet.title == "档案复制件清单" and record.record_id == first.pk
    assert [c.footage_id for c in clips] == [a.pk, b.pk]
    for clip, item in zip(clips, (a, b)):
        assert clip.source_sha256 == clip.blob_id == item.blob_id
        assert hashlib.sha256(_bytes(clip.blob_id)).hexdigest() == item.blob_id  # byte for byte, as recorded
        assert clip.record_id is None and clip.version is None and item.name in clip.title
        event = event_of(Entry.objects.get(action=v.COPY, object_type=CopyItem.ledger_object_type,
                                           object_id=str(clip.pk)))
        assert event["blobs"] == [item.blob_id] and event["detail"]["footage"] == item.pk
    whole = event_of(Entry.objects.get(action=v.COPY, object_type=Copy.ledger_object_type, object_id=str(copy.pk)))
    assert sorted(whole["blobs"]) == sorted([sheet.blob_id, record.blob_id, a.blob_id, b.blob_id])
    data = _bytes(sheet.blob_id)
    assert hashlib.sha256(data).hexdigest() == sheet.blob_id != sheet.source_sha256
    pages = page_texts(data, tmp_path)
    text = "".join(pages)
    assert "档案复制件清单" in text and req.number in text and req.file_sha256 in text
    for row in (record, *clips):  # every other item with its SHA-256, on the sheet
        assert row.blob_id in text
    for page in pages:  # the watermark on each of its pages
        assert f"调用单 {req.number}" in page and "调阅人：某市人民检察院" in page and "周律师" in page
        assert "用途：行政诉讼应诉材料核对" in page and f"时间：{timezone.localtime():%Y-%m-%d}" in page
    assert s.copy_blobs({a.blob_id, record.blob_id, sheet.blob_id}) == {record.blob_id, sheet.blob_id}


def test_a_whole_file_copy_takes_all_linked_footage(world, scene):
    case, (a, b), unlinked, _foreign = scene
    req = outsider_slip(world, case, kind="party")
    approve(world, req)
    copy = services.make_copy(archivist(world), req)
    footage = [i.footage_id for i in copy.items.order_by("id") if i.footage_id]
    assert footage == [a.pk, b.pk] and unlinked.pk not in footage
    assert copy.items.filter(record__isnull=False).count() == len(s.file_items(case))


def test_downloads_of_footage_are_read_events_and_refused_after_the_expiry(client, world, scene, monkeypatch):
    case, (a, _b), _unlinked, _foreign = scene
    req = outsider_slip(world, case, kind="party", footage_ids=[a.pk], days=2)
    approve(world, req)
    keeper = archivist(world)
    copy = services.make_copy(keeper, req)
    sheet, clip = copy.items.order_by("id")
    client.force_login(keeper)
    got = client.get(reverse("retrieval:download", args=[clip.pk]))
    assert got.status_code == 200 and got["Content-Type"] == "video/mp4"
    assert hashlib.sha256(b"".join(got.streaming_content)).hexdigest() == a.blob_id
    assert "A.MP4" in got["Content-Disposition"]
    cover = client.get(reverse("retrieval:download", args=[sheet.pk]))
    assert cover.status_code == 200 and cover["Content-Type"] == "application/pdf"
    rows = list(Entry.objects.filter(action=v.DOWNLOAD).order_by("id"))
    reads = [event_of(e) for e in rows]
    assert [(e.object_id, r["blobs"]) for e, r in zip(rows, reads)] == [(str(clip.pk), [a.blob_id]),
                                                                        (str(sheet.pk), [sheet.blob_id])]
    assert reads[0]["detail"]["footage"] == a.pk and reads[0]["detail"]["record"] is None
    later(monkeypatch, days=2, minutes=1)
    client.force_login(keeper)  # the session has ended too
    n = len(_refusals("download"))
    response = client.get(reverse("retrieval:download", args=[clip.pk]))
    assert response.status_code == 409 and "过期" in response.content.decode()
    assert _refusals("download")[n:][0]["detail"]["codes"] == ["expired"]
    assert Entry.objects.filter(action=v.DOWNLOAD).count() == 2


def test_a_copy_is_refused_when_a_footage_original_is_gone(world, scene):
    case, (a, _b), _unlinked, _foreign = scene
    req = outsider_slip(world, case, footage_ids=[a.pk])
    approve(world, req)
    store.backend().path(a.blob_id).unlink()  # the original removed from the store (e.g. a disk lost)
    with pytest.raises(ValidationError, match="A.MP4"):
        services.make_copy(archivist(world), req)
    assert not Copy.objects.exists() and _refusals("copy")[-1]["detail"]["codes"] == ["footage_gone"]


def _new_url(case, kind="staff"):
    return reverse("retrieval:new") + f"?number={case.number}&kind={kind}"


def test_the_forms_offer_the_linked_footage_and_the_slip_shows_it(client, world, scene):
    case, (a, b), unlinked, foreign = scene
    client.force_login(world.officer)
    form = client.get(_new_url(case)).content.decode()
    assert 'id="retrieval-footage"' in form and 'name="footage"' in form
    for item in (a, b):
        assert s.footage_label(item) in form
    assert "0:02" in s.footage_label(b) and unlinked.name not in form and foreign.name not in form
    response = client.post(_new_url(case), {"purpose": "核对现场执法过程", "mode": "view", "days": "3",
                                            "footage": [str(b.pk)]})
    req = RetrievalRequest.objects.get()
    assert response.status_code == 302 and req.footage_ids == [b.pk] and req.record_ids == []
    page = client.get(response["Location"]).content.decode()
    assert 'id="retrieval-scope-footage"' in page and s.footage_label(b) in page and "整卷" not in page
    approve(world, req)
    page = client.get(response["Location"]).content.decode()
    assert reverse("footage:play", args=[b.pk]) in page
    # Through the grant the footage in scope plays on its page (the viewer's overlay, liuhen/footage);
    # a clip of the file the slip does not name does not, though the case is open to the reader.
    assert client.get(reverse("footage:play", args=[b.pk])).status_code == 200
    client.force_login(archivist(world))
    form = client.get(_new_url(case, "party")).content.decode()
    assert s.footage_label(a) in form and "不加水印" in form


def test_a_foreign_footage_id_posted_is_400_recorded_and_nothing_written(client, world, scene):
    case, (a, _b), unlinked, foreign = scene
    client.force_login(archivist(world))
    n = len(_refusals("register"))
    response = client.post(_new_url(case, "party"), {
        "purpose": "申请行政复议", "mode": "copy", "days": "3", "footage": [str(a.pk), str(foreign.pk)],
        "person": "王建国", "id_number": PERSON_ID})
    assert response.status_code == 400 and "不属于本案卷的音像记录" in response.content.decode()
    assert len(_refusals("register")) == n + 1 and not RetrievalRequest.objects.exists()


def test_through_a_slip_only_the_clips_it_names_play(client, world, scene):
    """A reader who sees the archived file only through a 调用单 plays the clips it names, not the file's
    others; whoever reads the file by duty plays them all; a whole-file slip opens every clip."""
    case, (a, b), _, _ = scene
    approve(world, staff_slip(world, case, user=world.officer2, footage_ids=[b.pk], purpose="核对现场执法过程"))
    client.force_login(world.officer2)
    assert client.get(reverse("footage:play", args=[b.pk])).status_code == 200
    assert client.get(reverse("footage:play", args=[a.pk])).status_code == 404
    client.force_login(world.agency_head)
    assert client.get(reverse("footage:play", args=[a.pk])).status_code == 200
    approve(world, staff_slip(world, case, user=world.officer2, purpose="整卷查阅"))
    client.force_login(world.officer2)
    assert client.get(reverse("footage:play", args=[a.pk])).status_code == 200
