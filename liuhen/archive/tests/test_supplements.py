"""案卷归档后补充材料 (issue 19, "an archived file cannot be changed — additions after archiving go in as a
recorded supplement"): the archivist (or the agency head) adds a court's judgement to an archived case
from the case page; its file is known by its bytes, a PDF with a script or encryption is refused; the
supplement is append-only with its ledger event, downloaded as a read event; every refusal recorded."""
import pytest
from django.urls import reverse

from liuhen.archive import selectors as s
from liuhen.archive import vocabulary as v
from liuhen.archive.models import Supplement
from liuhen.common.append_only import AppendOnlyError
from liuhen.ledger.models import Entry
from liuhen.testing.archive import PDF, SCRIPTED_PDF, archived, in_archive_stage, pdf_upload, supplemented
from liuhen.testing.cases import archivist

pytestmark = pytest.mark.django_db


def _refused(act="supplement"):
    return [e for e in Entry.objects.filter(action=v.REFUSED) if f'"act":"{act}"' in bytes(e.leaf).decode()]


def test_a_judgement_added_to_an_archived_case_with_its_event(world):
    case = archived(world)
    row = supplemented(world, case)
    event = Entry.objects.get(action=v.SUPPLEMENT, object_id=str(row.pk))
    assert event.actor_id == archivist(world).pk and event.object_type == "archive_supplement"
    assert row.file_id in bytes(event.leaf).decode()  # the file's SHA-256 is in the log
    [got] = s.supplements(case)
    assert (got.title, got.kind, got.added_by, got.sha256) == ("本溪市平山区人民法院行政判决书", "法院判决", "档案员", row.file_id)
    assert got.note == "当事人起诉，法院判决维持。" and row.content_type == "application/pdf"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        Supplement.objects.filter(pk=row.pk).delete()


def test_the_agency_head_may_add_one_too(world):
    from liuhen.archive.services import add_supplement

    case = archived(world)
    row = add_supplement(world.agency_head, case, title="复议决定书", kind="复议决定", file=pdf_upload())
    assert row.added_by == world.agency_head


# The case's own officer no longer sees it once archived (LW-D 15: a 调用单 first); a reviewer sees it by duty.
@pytest.mark.parametrize("who,says", [("officer", "调用单"), ("reviewer", "档案管理员或机关负责人")])
def test_only_the_archivist_or_the_head(world, who, says):
    from django.core.exceptions import PermissionDenied

    from liuhen.archive.services import add_supplement

    case = archived(world)
    with pytest.raises(PermissionDenied, match=says):
        add_supplement(getattr(world, who), case, title="判决书", kind="法院判决", file=pdf_upload())
    assert not Supplement.objects.exists() and len(_refused()) == 1


@pytest.mark.parametrize("data,says", [
    (b"MZ\x90\x00 not a paper", "PDF、JPEG 或 PNG"),
    (SCRIPTED_PDF, "活动内容"),
    (PDF.replace(b"trailer<<", b"trailer<</Encrypt 3 0 R"), "已加密"),
])
def test_a_file_not_fit_for_the_case_file_is_refused(world, data, says):
    case = archived(world)
    with pytest.raises(Exception, match=says):
        supplemented(world, case, data=data)
    assert not Supplement.objects.exists() and len(_refused()) == 1


def test_a_case_not_archived_takes_no_supplement(world):
    from django.core.exceptions import ValidationError

    case = in_archive_stage(world)
    with pytest.raises(ValidationError, match="尚未归档"):
        supplemented(world, case)
    assert not Supplement.objects.exists() and _refused()


def test_the_case_page_lists_them_and_the_form_is_the_archivists(client, world):
    case = archived(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="archive-supplements"' not in page  # nothing to show, no right to add
    client.force_login(archivist(world))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="supplement-form"' in page and "尚无补充材料" in page
    response = client.post(reverse("archive:supplement_add", args=[case.pk]),
                           {"title": "行政判决书", "kind": "法院判决", "note": "", "file": pdf_upload()})
    assert response.status_code == 302 and response.url.endswith("#archive-supplements")
    row = Supplement.objects.get(case=case)
    client.force_login(world.reviewer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "行政判决书" in page and 'id="supplement-form"' not in page
    url = reverse("archive:supplement_file", args=[row.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    view = Entry.objects.filter(action=v.VIEW, object_id=str(row.pk)).get()
    assert view.actor_id == world.reviewer.pk and row.file_id in bytes(view.leaf).decode()


def test_a_refused_post_is_answered_in_chinese_and_recorded(client, world):
    case = archived(world)
    client.force_login(world.reviewer)
    response = client.post(reverse("archive:supplement_add", args=[case.pk]),
                           {"title": "行政判决书", "kind": "法院判决", "file": pdf_upload()})
    assert response.status_code == 403 and "档案管理员或机关负责人" in response.content.decode()
    client.force_login(archivist(world))
    response = client.post(reverse("archive:supplement_add", args=[case.pk]), {"title": "", "kind": "判决"})
    assert response.status_code == 400 and "题名" in response.content.decode()
    response = client.post(reverse("archive:supplement_add", args=[case.pk]), {"title": "判决书", "kind": "法院判决"})
    assert response.status_code == 400 and "请上传补充材料文件" in response.content.decode()
    assert not Supplement.objects.exists()
    assert Entry.objects.filter(action=v.REFUSED).count() == 3


def test_a_supplement_of_a_case_not_visible_is_a_404(client, world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    case = archived(world)
    row = supplemented(world, case)
    other = acc.create_agency(None, name="别的局", short_name="别")
    stranger = acc.create_user(None, username="bie", full_name="别人", password=world.PASSWORD, agency=other,
                               roles=[Role.ARCHIVIST])
    client.force_login(stranger)
    assert client.get(reverse("archive:supplement_file", args=[row.pk])).status_code == 404
    assert client.post(reverse("archive:supplement_add", args=[case.pk]),
                       {"title": "x", "kind": "其他", "file": pdf_upload()}).status_code == 404
    assert Entry.objects.filter(action="access.denied").count() == 2


def test_verify_names_a_supplement_whose_file_was_swapped(world, fresh_home):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.media import store
    from liuhen.testing.tampering import drop_append_only, found, sql
    import io

    case = archived(world)
    row = supplemented(world, case)
    other = store.put(io.BytesIO(PDF + b"%forged\n"))
    integrate_all()
    drop_append_only(Supplement._meta.db_table)
    sql(f"UPDATE {Supplement._meta.db_table} SET file_id = %s WHERE id = %s", [other.sha256, row.pk])
    assert found(verify_log(), "altered", f"archive_supplement:{row.pk}").code == "archive.E001"


def test_a_supplement_goes_into_the_package_and_the_volume_s_note_page(world, tmp_path):
    """The archival package carries the papers added after archiving byte for byte, each proven by its
    archive.supplement event; a plain PDF is kept as received (WARN: not PDF/A); a changed byte fails."""
    import json
    import subprocess

    from liuhen.archive.package import export
    from liuhen.archive.volume import render
    from liuhen.ledger.signing import vkeys
    from liuhen.testing.archive import failed, rebag

    case = archived(world)
    row = supplemented(world, case)
    note_page = subprocess.run(["pdftotext", "-", "-"], input=render(case).pdf, capture_output=True,
                               check=True).stdout.decode().split("备考表")[-1]
    assert "本溪市平山区人民法院行政判决书" in note_page  # the case's own supplements, unasked
    bag = tmp_path / "bag"
    export(archivist(world), case.number, bag)
    catalog = json.loads((bag / "data" / "catalog.json").read_text(encoding="utf-8"))
    [added] = catalog["supplements"]
    assert (added["title"], added["kind"], added["sha256"]) == ("本溪市平山区人民法院行政判决书", "法院判决", row.file_id)
    assert (bag / "data" / added["path"]).read_bytes() == PDF and added["entries"]
    vkey = "".join(k + "\n" for k in vkeys())
    assert failed(bag, vkey) == {}
    (bag / "data" / added["path"]).write_bytes(PDF.replace(b"Count 0", b"Count 1"))
    rebag(bag)
    got = failed(bag, vkey)
    assert set(got) == {"authenticity.metadata_hash", "authenticity.ledger_hash"}, got
    assert all("补充材料" in line for lines in got.values() for line in lines)
