"""Review of issue 13: the staging folder itself full (not the store). uploads.write_chunk promises a
507 with the offset kept and the chunk "not half kept"; no test exercised it. Found sound: this
test pins it."""
import os

import pytest

from liuhen.footage.models import FootageItem
from liuhen.testing.ingest import NUMBER, signed_out_camera
from liuhen.testing.media import small_disk_at
from liuhen.testing.uploads import Api, station

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_staging(tmp_path, settings):
    """LIUHEN_UPLOAD_DIR on a 1 MiB tmpfs: a real full disk."""
    with small_disk_at(tmp_path / "small-staging") as mnt:
        settings.LIUHEN_UPLOAD_DIR = str(mnt)
        yield mnt


def test_a_full_staging_disk_answers_507_with_the_offset(world, small_staging):
    signed_out_camera(world)
    _, token = station(world)
    api = Api(token)
    api.client.raise_request_exception = False
    data = os.urandom(3 * 1024 * 1024)  # more than the staging disk holds
    key = api.declare("DCIM/VID_0001.MP4", data, NUMBER).json()["id"]
    at, step, r = 0, 256 * 1024, None
    while at < len(data):
        r = api.chunk(key, at, data[at:at + step])
        if r.status_code != 200:
            break
        at = r.json()["offset"]
    assert r.status_code == 507, r.status_code
    assert r.json()["offset"] == at  # the chunk that did not fit is not half kept
    assert (small_staging / key / "data").stat().st_size == at
    assert not FootageItem.objects.exists()
