"""Review of issue 14 (copies): package.make renames the staged directory into place inside the
transaction, before the commit. A process killed between the rename and the commit (no `except`
runs on SIGKILL or a power cut) leaves LIUHEN_HOME/copies/<request id>/ complete but with no row.
Such a leftover of THIS request (its manifest names the request, no package row names the
directory) is moved aside — <name>.abandoned-<UTC timestamp>, never deleted — and the move is in
the package's ledger event; anything else in the way is still refused."""
import json

import pytest
from django.core.exceptions import ValidationError

from liuhen.copies import services
from liuhen.copies import vocabulary as v
from liuhen.copies.models import CopyPackage
from liuhen.copies.package import copies_dir
from liuhen.ledger import services as ledger
from liuhen.ledger.core.package import FORMAT
from liuhen.ledger.models import Entry
from liuhen.testing.copies import approved, case_with_footage

pytestmark = pytest.mark.usefixtures("fresh_home")


def _leftover(path, request_id) -> bytes:
    """What a crashed make had renamed into place: a manifest naming its request (and a file)."""
    path.mkdir(parents=True)
    data = json.dumps({"format": FORMAT, "request": {"id": request_id}}).encode()
    (path / "manifest.json").write_bytes(data)
    (path / "files").mkdir()
    (path / "files" / "x-A.MP4").write_bytes(b"copied before the crash")
    return data


def test_a_leftover_of_a_crashed_make_does_not_block_the_request(world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    leftover = copies_dir() / str(row.pk)
    data = _leftover(leftover, row.pk)
    package = services.make_package(world.archivist, row)
    assert CopyPackage.objects.filter(request=row).exists()
    # Set aside, not deleted: the evidence of the crash is kept beside the package.
    aside = [p for p in copies_dir().iterdir() if p.name.startswith(f"{row.pk}.abandoned-")]
    assert len(aside) == 1
    assert (aside[0] / "manifest.json").read_bytes() == data
    assert (aside[0] / "files" / "x-A.MP4").read_bytes() == b"copied before the crash"
    # The new package is in place, and the move is in its ledger event.
    assert json.loads((leftover / "manifest.json").read_text(encoding="utf-8"))["request"]["id"] == row.pk
    ev = ledger.event_of(Entry.objects.get(action=v.MAKE, object_id=str(package.pk)))
    assert ev["detail"]["set_aside"]["from"] == str(row.pk)
    assert ev["detail"]["set_aside"]["to"] == aside[0].name


@pytest.mark.parametrize("what", ["other-request", "no-manifest", "not-a-package"])
def test_anything_else_in_the_way_is_still_refused(world, tmp_path, what):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    target = copies_dir() / str(row.pk)
    if what == "other-request":
        _leftover(target, row.pk + 1000)
    elif what == "no-manifest":
        target.mkdir(parents=True)
        (target / "note.txt").write_text("某人的文件", encoding="utf-8")
    else:
        target.mkdir(parents=True)
        (target / "manifest.json").write_text(json.dumps({"request": {"id": row.pk}}), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        services.make_package(world.archivist, row)
    assert "已存在且不为空" in err.value.messages[0]
    assert not CopyPackage.objects.filter(request=row).exists()
    assert not [p for p in copies_dir().iterdir() if ".abandoned-" in p.name]


def test_a_directory_a_package_row_names_is_never_set_aside(world, tmp_path):
    """A made package's directory (its row names it) is not a leftover, even if its manifest names
    another request (e.g. given as the destination of a second make)."""
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    first = services.make_package(world.archivist, approved(c))
    second = approved(c)
    with pytest.raises(ValidationError):
        services.make_package(world.archivist, second, dest=copies_dir() / first.path)
    assert not [p for p in copies_dir().iterdir() if ".abandoned-" in p.name]
