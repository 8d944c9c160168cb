"""Review of issue 14 (copies): the office's kept copy (LW-D 13 复制留存) is what is given out. Its
download checks manifest.json's SHA-256 only: a footage file swapped inside the kept copy (the
manifest untouched) went out to the court as if intact. The download now checks the whole package
first (the offline checker's checks, with the log's own key) and refuses a changed one: 409, recorded."""
import json

import pytest

from liuhen.copies import services
from liuhen.copies import vocabulary as v
from liuhen.copies.package import package_dir
from liuhen.ledger.models import Entry
from liuhen.testing.copies import approved, case_with_footage

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def kept(client, world, tmp_path):
    c = case_with_footage(world, tmp_path, names=("A.MP4",))
    row = approved(c)
    package = services.make_package(world.archivist, row)
    client.force_login(world.archivist)
    return client, world, row, package_dir(package)


def test_an_intact_kept_copy_downloads(kept):
    client, world, row, root = kept
    resp = client.get(f"/copies/{row.pk}/download/")
    assert resp.status_code == 200
    b"".join(resp.streaming_content)


def test_a_footage_file_swapped_in_the_kept_copy_is_not_given_out(kept):
    client, world, row, root = kept
    f = json.loads((root / "manifest.json").read_text(encoding="utf-8"))["files"][0]
    data = bytearray((root / f["path"]).read_bytes())
    data[len(data) // 2] ^= 1
    (root / f["path"]).write_bytes(bytes(data))
    resp = client.get(f"/copies/{row.pk}/download/")
    assert resp.status_code == 409 and "已被改动" in resp.content.decode()
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.archivist.pk).exists()
    assert not Entry.objects.filter(action=v.DOWNLOAD).exists()
