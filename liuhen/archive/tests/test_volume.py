"""The 案卷 (case-file volume, issue 19 item 1) as one PDF/A: its cover says what the file holds, its
卷内目录 lists the package's items in the catalog's order with the 页号 ranges printed on the documents'
own pages (1…M, continuous), the 音像资料目录 each clip with its hash, the 备考表 the counts, the
supplements, who assembled and who checked the file; downloaded from the case page as a read event.

The volume read here is the one the archived scene's package carries (data/volume.pdf), built once per
run (liuhen.testing.archive.exported_scene); the tests that need the database restore that scene."""
import hashlib
import json
import re
import subprocess
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from liuhen.archive.core import layout as L
from liuhen.archive.vocabulary import REFUSED, VOLUME
from liuhen.ledger.models import Entry


@pytest.fixture
def exported(db, tmp_path_factory, django_db_blocker):
    from liuhen.testing.demo import scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.archive:exported_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return snapshot.summary


@pytest.fixture
def scene(db, fresh_home, settings, tmp_path_factory, django_db_blocker):
    """The archived case in this test's database, with its keys and files."""
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.archive:exported_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)


def catalog(exported) -> dict:
    return json.loads((exported.bag / "data" / L.CATALOG).read_text(encoding="utf-8"))


def pages_text(pdf, *, layout=True) -> list[str]:
    """Each page's text (pdftotext -layout: lines kept; else in reading order, cell by cell), in order."""
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def flat(text: str) -> str:
    """The text without its spaces and line breaks (pdftotext spaces letter-spaced and wrapped text)."""
    return re.sub(r"\s+", "", text)


def page_number(text: str) -> int | None:
    """The 页号 printed top right: the page's first line, a number alone."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return int(first) if first.isdigit() else None


@pytest.fixture
def volume(exported):
    return exported.bag / "data" / L.VOLUME


def test_the_cover_says_what_the_file_holds(volume, exported):
    cover = pages_text(volume)[0]
    for said in ("测试市水务局", "行政执法案卷", "案卷题名王五未经许可取水案", f"档号{exported.case_number}",
                 "卷内文件9件9页", "音像资料1件", "保管期限永久", "公开属性内部", "立卷人张明",
                 f"归档日期{timezone.localdate().isoformat()}", "接收档案员档案员"):
        assert said in flat(cover), said
    assert page_number(cover) is None


def test_the_contents_page_ranges_are_the_ones_printed_on_the_pages(volume, exported):
    from liuhen.testing.documents import pdf_pages

    texts = pages_text(volume)
    items = catalog(exported)["items"]
    # 卷内目录: a row with a date has its 顺序号 first and its 页号 range after the date (a media row none)
    toc = texts[1]
    assert "卷内目录" in toc and page_number(toc) is None
    rows = {}
    for line in toc.splitlines():
        m = re.match(r"^\s*(\d+)\s.*\d{4}-\d{2}-\d{2}\s+(\d+)(?:–(\d+))?", line)
        if m:
            rows[int(m.group(1))] = (int(m.group(2)), int(m.group(3) or m.group(2)))
    documents = [i for i in items if i["kind"] == "document"]
    assert sorted(rows) == [i["number"] for i in documents]  # the same items, numbered as in the catalog
    numbered = {page_number(t): t for t in texts if page_number(t) is not None}
    assert sorted(numbered) == list(range(1, len(numbered) + 1))  # 1…M, continuous, each once
    expected_first = 1
    for item in documents:
        first, last = rows[item["number"]]
        # each document from the page after the one before, as long as its own PDF/A in the package
        assert first == expected_first, item["title"]
        assert last - first + 1 == pdf_pages((exported.bag / "data" / item["path"]).read_bytes())
        assert item["title"] in numbered[first], (item["title"], first)
        expected_first = last + 1
    assert expected_first - 1 == len(numbered) == 9
    # the numbered pages are the documents', in order, right after the 目录
    assert [page_number(t) for t in texts[2:2 + len(numbered)]] == list(range(1, len(numbered) + 1))


def test_the_media_list_and_the_note_page(volume, exported):
    texts = pages_text(volume)
    clip = next(i for i in catalog(exported)["items"] if i["kind"] == "media")
    media = texts[-2]
    assert "音像资料目录" in media and "A.MP4" in media and "1.0" in media and "MP4" in media
    assert clip["sha256"] in flat(pages_text(volume, layout=False)[-2])
    note = flat(texts[-1])
    assert "备考表" in note and "本卷共9件9页、音像资料1件" in note
    assert "立卷人：张明" in note and "检查人：档案员" in note and "归档后无补充材料" in note
    # made at export, before the export's own integration: no checkpoint yet covers the file's entries
    assert "日志记录尚未纳入签名检查点" in note
    assert page_number(media) is None and page_number(texts[-1]) is None


def test_the_volume_is_pdf_a_in_chinese_with_its_fonts(volume):
    from liuhen.testing.documents import cjk_embedded, pdf_info, pdf_metadata

    data = volume.read_bytes()
    assert data.startswith(b"%PDF-") and "pdfaid:part" in pdf_metadata(data)
    assert cjk_embedded(data) and pdf_info(data)["Page size"].endswith("(A4)")


def test_supplements_after_archiving_are_printed_on_the_note_page(scene, monkeypatch):
    from liuhen.archive import classes
    from liuhen.archive.volume import render
    from liuhen.cases.models import Case
    from liuhen.records.models import Record
    from liuhen.testing.documents import pdf_text

    case = Case.objects.get(pk=scene.case_id)
    # the archivist classified the 决定书 as 个人隐私 (liuhen.archive.classes): its 备注 says so
    decision = Record.objects.get(case=case, record_type__code="decision")
    monkeypatch.setattr(classes, "_CLASSIFIERS", [lambda case: {decision.pk: "privacy"}])
    added = types.SimpleNamespace(title="人民法院行政判决书", added_at=timezone.now(), added_by="档案员",
                                  note="（2027）辽05行终1号，维持原决定")
    made = render(case, supplements=[added])
    note = flat(pdf_text(made.pdf).split("\f")[-2])
    assert "1.人民法院行政判决书（" in note and "档案员）：（2027）辽05行终1号，维持原决定" in note
    assert "归档后无补充材料" not in note
    # restored with its log: the latest checkpoint covers every entry of the file's records and footage
    assert re.search(r"卷内文件的\d+条日志记录均已纳入签名检查点（树大小\d+，根哈希[0-9a-f]{64}）", note)
    assert (made.documents, made.document_pages, made.media) == (9, 9, 1)
    assert [r.number for r in made.rows] == list(range(1, 11))
    assert {r.title: r.note for r in made.rows if r.doc_number == scene.issued_number} == {"行政处罚决定书": "个人隐私"}
    assert {r.note for r in made.rows if r.doc_number != scene.issued_number} == {"", "见音像资料目录"}


def test_the_case_page_offers_the_volume_and_its_download_is_a_read_event(scene, client):
    from liuhen.accounts.models import User

    # The archived file is read by duty (the agency head); its own officers need a 调用单 now (LW-D 15).
    client.force_login(User.objects.filter(groups__name="agency_head").first())
    page = client.get(reverse("cases:detail", args=[scene.case_id])).content.decode()
    assert 'id="case-volume"' in page and "案卷（PDF）" in page and "卷内文件 9 件，音像资料 1 件" in page
    response = client.get(reverse("archive:volume", args=[scene.case_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and "no-store" in response["Cache-Control"]
    event = Entry.objects.filter(action=VOLUME).get()
    assert event.object_type == "case" and event.object_id == str(scene.case_id)
    from liuhen.ledger.services import event_of

    detail = event_of(event)["detail"]
    assert detail["sha256"] == hashlib.sha256(response.content).hexdigest() and detail["documents"] == 9


def test_one_who_may_not_see_the_case_gets_nothing_and_is_recorded(scene, client):
    from liuhen.accounts.models import User

    client.force_login(User.objects.get(username="sun"))  # an officer of another unit
    response = client.get(reverse("archive:volume", args=[scene.case_id]))
    assert response.status_code == 404 and not Entry.objects.filter(action=VOLUME).exists()
    assert Entry.objects.filter(action="access.denied", object_type="case", object_id=str(scene.case_id)).exists()


def test_a_case_not_yet_in_archive_has_no_volume(world, client):
    case = world.open_case()
    client.force_login(world.officer)
    assert 'id="case-volume"' not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    response = client.get(reverse("archive:volume", args=[case.pk]))
    assert response.status_code == 409 and "尚未进入归档管理阶段" in response.content.decode()
    refused = Entry.objects.filter(action=REFUSED, object_id=str(case.pk)).get()
    from liuhen.ledger.services import event_of

    assert event_of(refused)["detail"]["codes"] == ["not_archive_stage"]
    assert not Entry.objects.filter(action=VOLUME).exists()
