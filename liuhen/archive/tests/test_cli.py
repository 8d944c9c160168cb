"""`liuhen archive export CASE_NUMBER DIR` and `liuhen archive check DIR`: exit codes, Chinese
refusals, and nothing left behind by a refused export (no directory, no staging directory)."""
import json
import shutil

import pytest

from liuhen.archive.core import layout as L
from liuhen.testing.commands import run_command

pytestmark = pytest.mark.usefixtures("fresh_home")


def leftovers(parent) -> list[str]:
    return sorted(p.name for p in parent.iterdir()) if parent.exists() else []


def test_an_unknown_case_number_is_refused_and_nothing_is_left(world, tmp_path):
    run = run_command("archive", "export", "不存在〔2026〕9号", str(tmp_path / "out" / "bag"))
    assert run.code == 2 and "案件编号“不存在〔2026〕9号”不存在" in run.err and "未导出归档信息包" in run.err
    assert leftovers(tmp_path / "out") == []


def test_a_non_empty_directory_is_refused_and_left_as_it_was(world, tmp_path):
    case = world.open_case()
    dest = tmp_path / "bag"
    dest.mkdir()
    (dest / "keep.txt").write_text("别人的文件")
    run = run_command("archive", "export", case.number, str(dest))
    assert run.code == 2 and "已存在且不为空" in run.err
    assert leftovers(dest) == ["keep.txt"] and not [n for n in leftovers(tmp_path) if ".partial" in n]


def test_a_footage_file_gone_from_the_store_refuses_the_export_and_leaves_nothing(world, tmp_path):
    from liuhen.footage import services as footage
    from liuhen.ledger.models import Entry
    from liuhen.media import store
    from liuhen.testing.cases import to_investigation
    from liuhen.testing.playback import only_video

    case = to_investigation(world)
    clip = only_video(world, tmp_path / "clips", "B.MP4")
    footage.link(world.officer, clip, case, case.stage)
    store.path_for(clip.blob_id).unlink()
    before = Entry.objects.filter(action="archive.export").count()
    run = run_command("archive", "export", case.number, str(tmp_path / "out" / "bag"), "--as", world.officer.username)
    assert run.code == 1 and "B.MP4" in run.err and "读取不到" in run.err
    assert leftovers(tmp_path / "out") == []
    assert Entry.objects.filter(action="archive.export").count() == before  # nothing logged as made


def test_export_then_check_through_the_cli(world, tmp_path):
    from liuhen.ledger.models import Entry
    from liuhen.testing.cases import to_investigation

    case = to_investigation(world)
    dest = tmp_path / "bag"
    run = run_command("archive", "export", case.number, str(dest), "--as", world.officer.username)
    assert run.code == 0, run.err
    assert "已导出归档信息包" in run.out and "卷内 1 件" in run.out
    catalog = json.loads((dest / "data" / L.CATALOG).read_text(encoding="utf-8"))
    assert [(i["number"], i["code"]) for i in catalog["items"]] == [(1, "start_approval")]
    event = Entry.objects.filter(action="archive.export").latest("id")
    assert event.actor_id == world.officer.pk and event.object_id == str(case.pk)
    from liuhen.ledger.verify import verify_log

    report = verify_log()  # the export's event is a read the log's own checker accepts
    assert report.ok, [str(f) for f in report.findings]
    assert not [n for n in leftovers(tmp_path) if ".partial" in n]  # no staging directory left

    checked = run_command("archive", "check", str(dest))
    assert checked.code == 0, checked.out + checked.err
    assert "OK   四性检测通过" in checked.out and "WARN authenticity.signature" in checked.out

    shutil.rmtree(dest / "data" / L.DOCUMENTS)
    checked = run_command("archive", "check", str(dest))
    assert checked.code == 1 and "FAIL integrity.content 完整性·内容文件与元数据齐全" in checked.out
    assert "四性检测未通过" in checked.err

    checked = run_command("archive", "check", str(tmp_path / "nothing"))
    assert checked.code == 2 and "不是 BagIt 信息包" in checked.err
