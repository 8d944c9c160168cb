"""`liuhen copies make REQUEST_ID DIR --as USERNAME`: the same service as the page's button."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from liuhen.copies.models import CopyPackage
from liuhen.testing.copies import approved, case_with_footage, check_offline, requested, vkey_file

pytestmark = pytest.mark.usefixtures("fresh_home")


def run(*args):
    out = io.StringIO()
    call_command("copies", *args, stdout=out)
    return out.getvalue()


def test_make_into_a_directory(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    dest = tmp_path / "to-court"
    out = run("make", str(row.pk), str(dest), "--as", world.archivist.username)
    package = CopyPackage.objects.get()
    assert package.manifest_sha256 in out and (dest / "manifest.json").exists()
    assert check_offline(dest, vkey_file(tmp_path)).returncode == 0


def test_refusals(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = requested(c)
    with pytest.raises(CommandError) as e:
        run("make", str(row.pk), str(tmp_path / "x"), "--as", world.archivist.username)
    assert e.value.returncode == 1 and "尚未经批准" in str(e.value)
    with pytest.raises(CommandError) as e:
        run("make", "999999", str(tmp_path / "x"), "--as", world.archivist.username)
    assert e.value.returncode == 2
    with pytest.raises(CommandError) as e:
        run("make", str(row.pk), str(tmp_path / "x"), "--as", "nobody")
    assert e.value.returncode == 2
    assert not (tmp_path / "x").exists() and not CopyPackage.objects.exists()
