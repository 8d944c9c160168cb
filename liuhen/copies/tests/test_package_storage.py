"""A package is made from the store on local disk and on SeaweedFS (S3) alike; a blob gone from the
store (purged, lost) or changed there refuses the whole package with a clear reason — no row, no
directory, nothing staged left behind — and the refusal is in the ledger."""
import pytest
from django.core.exceptions import ValidationError

from liuhen.copies import services
from liuhen.copies import vocabulary as v
from liuhen.copies.models import CopyPackage
from liuhen.copies.package import copies_dir, package_dir
from liuhen.ledger.models import Entry
from liuhen.testing.copies import approved, case_with_footage, check_offline, vkey_file
from liuhen.testing.media import flip_byte, remove_raw, store_backend  # noqa: F401  (fixture: local disk and S3)

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_made_from_either_backend_and_verifies_offline(world, tmp_path, store_backend):  # noqa: F811
    c = case_with_footage(world, tmp_path)
    package = services.make_package(world.archivist, approved(c))
    root = package_dir(package)
    assert package.files == 2 and package.size == sum(i.size for i in c.items)
    run = check_offline(root, vkey_file(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr


def _nothing_made():
    assert not CopyPackage.objects.exists()
    assert not Entry.objects.filter(action=v.MAKE).exists()
    assert not copies_dir().exists() or not any(copies_dir().iterdir())


def test_a_blob_gone_from_the_store_refuses_the_package(world, tmp_path, store_backend):  # noqa: F811
    c = case_with_footage(world, tmp_path)
    row = approved(c)
    remove_raw(store_backend, c.items[1].blob_id)  # purged or lost: the first file was already copied
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row)
    assert e.value.error_list[0].code == "blob_missing" and "读取不到" in e.value.messages[0]
    assert c.items[1].name in e.value.messages[0]
    _nothing_made()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.archivist.pk).exists()


def test_a_changed_blob_refuses_the_package(world, tmp_path):
    from liuhen.media import store

    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    flip_byte(store.backend(), c.items[0].blob_id)
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row)
    assert e.value.error_list[0].code == "blob_altered"
    _nothing_made()


def test_a_given_destination_that_is_not_empty_is_refused(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "x").write_text("keep me")
    with pytest.raises(ValidationError) as e:
        services.make_package(world.archivist, row, dest)
    assert e.value.error_list[0].code == "dest_exists" and (dest / "x").read_text() == "keep me"
    package = services.make_package(world.archivist, row, tmp_path / "elsewhere")
    assert package_dir(package) == (tmp_path / "elsewhere").resolve() and (tmp_path / "elsewhere" / "manifest.json").exists()
