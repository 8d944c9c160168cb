"""Import of an archival package into another Liuhen instance (issue 19 item 4): the case exported by
liuhen.testing.archive's scene is taken into this test's database and store (an archives bureau's)
only after its 四性检测 passes, every file of the bag stored byte for byte, read-only; a changed byte or
a swapped proof is refused naming the 四性 item, with nothing stored and the refusal in the log; the same
package twice is refused; `liuhen archive import` exits 0, 1 or 2; the pages show the catalog and the
report, each download a read event."""
import shutil

import pytest
from django.urls import reverse

from liuhen.archive import vocabulary as v
from liuhen.archive.models import ImportedFile, ImportedPackage
from liuhen.common.append_only import AppendOnlyError
from liuhen.ledger.models import Entry
from liuhen.media import store
from liuhen.media.models import Blob
from liuhen.testing.archive import change_a_byte, imported_scene, supervisor, swap_proofs
from liuhen.testing.cases import archivist
from liuhen.testing.commands import run_command

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def exported(db, tmp_path_factory, django_db_blocker):
    """The package, exported once per run by another instance (the scene's, rolled back)."""
    from liuhen.testing.demo import scene_snapshot

    return scene_snapshot("liuhen.testing.archive:exported_scene", tmp_path_factory, django_db_blocker,
                          replay_changes=True).summary


@pytest.fixture
def bag(exported, tmp_path):
    return shutil.copytree(exported.bag, tmp_path / "received")


@pytest.fixture
def vkey_file(exported, tmp_path):
    path = tmp_path / "log.vkey"
    path.write_text(exported.vkey, encoding="utf-8")
    return path


def _bag_files(bag):
    return {p.relative_to(bag).as_posix(): p.read_bytes() for p in bag.rglob("*") if p.is_file()}


def _refusals():
    return [bytes(e.leaf).decode() for e in Entry.objects.filter(action=v.REFUSED)]


# `exported` comes before `world` in each test: the scene is built (by the first test that asks) before
# this test's own world exists.


def test_an_exported_case_is_imported_byte_for_byte(exported, bag, world):
    pkg = imported_scene(world, bag, exported.vkey)
    assert (pkg.case_number, pkg.source_agency, pkg.own_key) == (exported.case_number, "测试市水务局", False)
    assert pkg.imported_by == archivist(world) and pkg.agency_id == world.agency.pk
    assert all(line.startswith("OK") for line in pkg.report) and len(pkg.report) > 20
    assert any("security.trace" in line for line in pkg.report)
    files = {f.path: f for f in ImportedFile.objects.filter(package=pkg)}
    on_disk = _bag_files(bag)
    assert set(files) == set(on_disk)  # the payload, the metadata, the ledger, the bag's tag files
    for path, f in files.items():
        with store.open_blob(f.blob_id) as got:
            assert got.read() == on_disk[path], path
    decision = next(i for i in pkg.catalog["items"] if i.get("code") == "decision")
    assert files[f"data/{decision['path']}"].number == decision["number"]
    event = Entry.objects.get(action=v.IMPORT, object_id=str(pkg.pk))
    leaf = bytes(event.leaf).decode()
    assert pkg.tagmanifest_sha256 in leaf and all(f.blob_id in leaf for f in files.values())
    assert Entry.objects.filter(action=v.IMPORT_FILE).count() == len(files)
    with pytest.raises(AppendOnlyError):  # read-only here
        pkg.save()
    with pytest.raises(AppendOnlyError):
        ImportedFile.objects.filter(package=pkg).delete()


def test_the_log_s_own_checker_accepts_the_import(exported, bag, world):
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    imported_scene(world, bag, exported.vkey)
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_verify_names_a_report_rewritten_and_a_file_slipped_in(exported, bag, world):
    import io

    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.tampering import drop_append_only, found, sql

    pkg = imported_scene(world, bag, None)  # checked with its own key: the report says so
    integrate_all()
    drop_append_only(ImportedPackage._meta.db_table)
    sql(f"UPDATE {ImportedPackage._meta.db_table} SET own_key = %s WHERE id = %s", [False, pkg.pk])
    blob = store.put(io.BytesIO(b"%PDF-1.4 forged"))
    sql(f"INSERT INTO {ImportedFile._meta.db_table} (package_id, path, blob_id, size, number) VALUES (%s, %s, %s, %s, %s)",
        [pkg.pk, "data/documents/99-forged.pdf", blob.sha256, blob.size, None])
    forged = ImportedFile.objects.get(path="data/documents/99-forged.pdf")
    report = verify_log()
    assert found(report, "altered", f"archive_imported_package:{pkg.pk}").code == "archive.E004"
    assert found(report, "inserted", f"archive_imported_file:{forged.pk}").code == "archive.E008"


def test_without_a_key_got_apart_it_is_imported_and_says_so(bag, world):
    pkg = imported_scene(world, bag, None)
    assert pkg.own_key and any(line.startswith("WARN authenticity.signature") for line in pkg.report)
    assert pkg.vkey == (bag / "data" / "ledger" / "log.vkey").read_text()


@pytest.mark.parametrize("fault,item", [(change_a_byte, "authenticity.metadata_hash"),
                                        (swap_proofs, "authenticity.proof")])
def test_a_forged_package_is_refused_naming_the_item_and_nothing_is_stored(exported, bag, world, fault, item):
    from django.core.exceptions import ValidationError

    fault(bag)
    blobs = Blob.objects.count()
    with pytest.raises(ValidationError) as exc:
        imported_scene(world, bag, exported.vkey)
    assert item in {e.code for e in exc.value.error_list}
    assert any("真实性·" in m for m in exc.value.messages)
    assert not ImportedPackage.objects.exists() and not ImportedFile.objects.exists()
    assert Blob.objects.count() == blobs and not Entry.objects.filter(action__in=[v.IMPORT, v.IMPORT_FILE]).exists()
    [refused] = _refusals()
    assert '"act":"import"' in refused and item in refused


def test_the_same_package_twice_is_refused(exported, bag, world, tmp_path):
    from django.core.exceptions import ValidationError

    imported_scene(world, bag, exported.vkey)
    with pytest.raises(ValidationError, match="已经接收过"):
        imported_scene(world, bag, exported.vkey)
    import bagit

    again = shutil.copytree(bag, tmp_path / "again")
    (again / "bag-info.txt").write_text((again / "bag-info.txt").read_text() + "Bag-Group-Identifier: 2\n")
    bagit.Bag(str(again)).save()  # a new tag manifest, the same content
    with pytest.raises(ValidationError, match="已经接收过"):
        imported_scene(world, again, exported.vkey)
    assert ImportedPackage.objects.count() == 1 and len(_refusals()) == 2


def test_only_the_archivist_or_the_head_imports(exported, bag, world):
    from django.core.exceptions import PermissionDenied

    from liuhen.archive.services import import_package

    with pytest.raises(PermissionDenied):
        import_package(world.officer, bag, exported.vkey)
    assert not ImportedPackage.objects.exists() and len(_refusals()) == 1


def test_the_cli_exit_codes(exported, bag, world, vkey_file, tmp_path):
    forged = shutil.copytree(bag, tmp_path / "forged")
    change_a_byte(forged)
    run = run_command("archive", "import", str(forged), "--vkey", str(vkey_file), "--as", archivist(world).username)
    assert run.code == 1 and "未接收归档信息包" in run.err and "真实性·元数据记载的哈希值与文件一致" in run.err
    run = run_command("archive", "import", str(tmp_path / "nothing"), "--vkey", str(vkey_file))
    assert run.code == 2 and "不是可读的归档信息包" in run.err
    run = run_command("archive", "import", str(bag), "--vkey", str(tmp_path / "no.vkey"))
    assert run.code == 2 and "公钥文件" in run.err
    run = run_command("archive", "import", str(bag), "--vkey", str(vkey_file))
    assert run.code == 0 and "已接收归档信息包" in run.out and exported.case_number in run.out
    assert ImportedPackage.objects.get().imported_by is None  # the system, from the command line
    run = run_command("archive", "import", str(bag), "--vkey", str(vkey_file))
    assert run.code == 1 and "已经接收过" in run.err
    assert len(_refusals()) == 3  # the forged, the missing and the twice — the system's too
    assert ImportedPackage.objects.count() == 1


def test_the_pages_show_the_catalog_and_the_report_and_each_download_is_read(exported, bag, client, world):
    pkg = imported_scene(world, bag, exported.vkey)
    client.force_login(supervisor(world))
    page = client.get(reverse("archive:imported")).content.decode()
    assert exported.case_number in page and reverse("archive:imported_detail", args=[pkg.pk]) in page
    page = client.get(reverse("archive:index")).content.decode()
    assert reverse("archive:imported_detail", args=[pkg.pk]) in page
    response = client.get(reverse("archive:imported_detail", args=[pkg.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "卷内目录" in page and "四性检测报告" in page
    assert "OK   security.trace 安全性·归档过程留痕" in page and "询问笔录" in page
    assert Entry.objects.filter(action=v.VIEW, object_type=pkg.ledger_object_type, object_id=str(pkg.pk)).exists()
    decision = next(i for i in pkg.catalog["items"] if i.get("code") == "decision")
    f = ImportedFile.objects.get(package=pkg, path=f"data/{decision['path']}")
    url = reverse("archive:imported_file", args=[f.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == (bag / "data" / decision["path"]).read_bytes()
    read = Entry.objects.get(action=v.VIEW, object_type=f.ledger_object_type, object_id=str(f.pk))
    assert f.blob_id in bytes(read.leaf).decode() and read.actor_id == supervisor(world).pk


def test_another_agency_does_not_see_the_package(exported, bag, client, world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.roles import Role

    pkg = imported_scene(world, bag, exported.vkey)
    other = acc.create_agency(None, name="别的局", short_name="别")
    stranger = acc.create_user(None, username="bie", full_name="别人", password=world.PASSWORD, agency=other,
                               roles=[Role.ARCHIVIST])
    client.force_login(stranger)
    assert exported.case_number not in client.get(reverse("archive:imported")).content.decode()
    assert client.get(reverse("archive:imported_detail", args=[pkg.pk])).status_code == 404
    f = ImportedFile.objects.filter(package=pkg).first()
    assert client.get(reverse("archive:imported_file", args=[f.pk])).status_code == 404
    assert not Entry.objects.filter(action=v.VIEW).exists()
