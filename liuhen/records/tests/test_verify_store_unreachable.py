"""`liuhen verify` with the S3 store unreachable (SeaweedFS stopped): one "存储不可达" finding
(media.E001) per checker that reads stored files — footage items, record attachments and 补充材料 —
every other check still made, the command exits non-zero, and no traceback. A file that cannot be
read while the store answers is still that file's own finding."""
import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from liuhen.footage import vocabulary as fv
from liuhen.footage.models import FootageItem
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.media import store
from liuhen.media import vocabulary as mv
from liuhen.records import services
from liuhen.records import vocabulary as V
from liuhen.testing.ingest import NUMBER, dump, ingest, signed_out_camera
from liuhen.testing.records import signed_inspection
from liuhen.testing.seaweedfs import own_seaweedfs  # noqa: F401  (fixture)
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def stored(verified_world, own_seaweedfs, tmp_path):
    """Two footage items, a signed record with an attachment and a 补充材料, all on S3."""
    world = verified_world
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4", "B.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    assert ingest(str(root), "--device", NUMBER).code == 0
    record = signed_inspection(world, files=[("现场.jpg", b"photo on the scene" * 20)])
    services.add_supplement(world.officer, record, [(io.BytesIO(b"%PDF later" * 30), "补充.pdf", "application/pdf")],
                            "签字纸质件")
    assert store.backend().name == "s3" and store.reachable()
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    return world, record


def by_code(report) -> dict:
    out = {}
    for f in report.findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_store_down_is_one_finding_per_checker_and_the_rest_is_still_checked(stored, own_seaweedfs):
    world, record = stored
    a = FootageItem.objects.order_by("name").first()
    # Something else is wrong too: a footage row changed behind the log's back, and a record's
    # attachment row renamed. Verify must still find both with the store down.
    drop_append_only(FootageItem._meta.db_table, "records_attachment")
    sql("UPDATE footage_footageitem SET officer_id = %s WHERE id = %s", [world.officer3.pk, a.pk])
    sql("UPDATE records_attachment SET filename = %s WHERE record_id = %s", ["别的.jpg", record.pk])
    own_seaweedfs.stop()
    assert not store.reachable()

    report = verify_log()
    codes = by_code(report)
    unreachable = codes.pop(mv.E001)
    assert sorted(f.object for f in unreachable) == ["footage:*", "record:*"]
    for f in unreachable:
        assert f.kind == "unreachable" and f.message.startswith("存储不可达：")
    footage_f = next(f for f in unreachable if f.object == "footage:*")
    record_f = next(f for f in unreachable if f.object == "record:*")
    assert "2 个音像记录的存储文件未能核对" in footage_f.message
    # the renamed attachment is a row finding (its file is not read); the 补充材料's file was not checked
    assert "1 个附件、补充材料或签名笔迹的存储文件未能核对" in record_f.message
    # everything else still checked: the changed rows found, and no stored file called altered
    assert [f.object for f in codes.pop(fv.E001)] == [f"footage:{a.pk}"]
    assert [f.object.split()[-1].split(":")[0] for f in codes.pop(V.E011)] == ["attachment"]
    assert codes == {}, [str(f) for fs in codes.values() for f in fs]

    # With the service back, the same verify reads every file again.
    own_seaweedfs.start()
    codes = by_code(verify_log())
    assert mv.E001 not in codes and set(codes) == {fv.E001, V.E011}


def test_liuhen_verify_exits_non_zero_without_a_traceback(stored, own_seaweedfs):
    """The command as an operator runs it: the findings printed, exit code 1, no exception."""
    own_seaweedfs.stop()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("verify", stdout=out, stderr=err)
    assert exc.value.code == 1
    lines = [line for line in out.getvalue().splitlines() if mv.E001 in line]
    assert len(lines) == 2 and all("存储不可达" in line for line in lines), out.getvalue()
    assert "发现 2 处问题" in err.getvalue()


def test_a_file_unreadable_while_the_store_answers_is_that_files_finding(verified_world, tmp_path, settings):
    """Not every read error means the store is down: on the local disk, one stored video replaced
    by a directory cannot be opened, the store still answers — a finding for that file (E004),
    and the other files are still read and checked."""
    settings.LIUHEN_STORAGE_URL = ""
    world = verified_world
    signed_out_camera(world)
    root = dump(tmp_path, "A.MP4", "B.MP4", recorded=timezone.now() + datetime.timedelta(seconds=5))
    assert ingest(str(root), "--device", NUMBER).code == 0
    integrate_all()
    assert verify_log().ok
    a, b = FootageItem.objects.order_by("name")
    path = store.path_for(a.blob_id)
    path.chmod(0o640)
    path.unlink()
    path.mkdir()
    flip = store.path_for(b.blob_id)
    flip.chmod(0o640)
    data = bytearray(flip.read_bytes())
    data[len(data) // 2] ^= 1
    flip.write_bytes(bytes(data))
    codes = by_code(verify_log())
    assert set(codes) == {fv.E004}
    assert sorted(f.object for f in codes[fv.E004]) == sorted([f"footage:{a.pk} blob:{a.blob_id}",
                                                               f"footage:{b.pk} blob:{b.blob_id}"])
