"""`liuhen device …` through call_command: the registry for scripts."""
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from liuhen.devices import vocabulary as v
from liuhen.devices.models import ClockFlag, Device, SignOut, Status
from liuhen.ledger.models import Entry
from liuhen.testing.devices import device_admin


def run(*args):
    out = io.StringIO()
    call_command("device", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as info:
        run(*args)
    assert info.value.returncode == 2
    return str(info.value)


def test_add_signout_return_list(world):
    assert "已登记" in run("add", "JL-001", "--model", "DSJ-V9", "--kind", "执法记录仪", "--unit", world.unit.name)
    run("add", "XJ-01", "--model", "EOS", "--kind", "camera")
    assert Device.objects.get(number="XJ-01").kind == "camera"
    out = run("signout", "JL-001", "--officer", world.officer.username, "--battery", "90",
              "--storage-free-gb", "20", "--device-time", "2026-12-01T09:00:00+08:00")
    assert "已领用" in out
    s = SignOut.objects.get()
    assert s.battery_percent == 90 and s.storage_free_mb == 20480
    assert s.device_time.isoformat() == "2026-12-01T01:00:00+00:00"
    # A device time months away from now: a clock never set, or far out: flagged either way.
    assert s.clock_flag in (ClockFlag.DRIFT, ClockFlag.NEVER_SET)
    listed = json.loads(run("list", "--json").strip().splitlines()[-1])
    by_number = {d["number"]: d for d in listed["devices"]}
    assert by_number["JL-001"]["holder"] == world.officer.username
    assert by_number["XJ-01"]["holder"] is None
    now = timezone.localtime().isoformat()
    assert "误差" in run("return", "JL-001", "--battery", "30", "--device-time", now)
    assert json.loads(run("list", "--json"))["devices"][0]["holder"] is None
    assert "在库" in run("list")
    # The status changes only through the device's life (LQ 26): a repair needs its supplier.
    assert "供应商" in refused("repair-out", "JL-001")
    assert "维修中" in run("repair-out", "JL-001", "--supplier", "本溪市安防设备有限公司")
    assert Device.objects.get(number="JL-001").status == Status.REPAIR
    assert "停用" in run("repair-back", "JL-001", "--work", "更换电池", "--result", "已修复")
    assert "在用" in run("check", "JL-001", "--battery-health", "97", "--storage-free-gb", "30", "--note", "正常")
    row = json.loads(run("list", "--json"))["devices"][0]
    assert row["status"] == "in_use" and row["last_check"] == timezone.localdate().isoformat()
    assert row["check_overdue"] is False and row["check_due"]
    assert "停用" in run("fault", "JL-001", "--note", "进水")
    assert "报废" in run("scrap", "XJ-01", "--reason", "镜头破裂")
    assert "已报废" in refused("check", "XJ-01")


def test_bad_input_exits_2_in_chinese_and_writes_nothing(world):
    run("add", "JL-001", "--model", "DSJ-V9")
    before = (Device.objects.count(), SignOut.objects.count(), Entry.objects.count())
    assert "型号" in refused("add", "JL-002")
    assert "已登记" in refused("add", "JL-001", "--model", "X")
    assert "类别" in refused("add", "JL-003", "--model", "X", "--kind", "无人机")
    assert "科室" in refused("add", "JL-003", "--model", "X", "--unit", "不存在的科")
    assert "未登记" in refused("signout", "JL-404", "--officer", world.officer.username)
    assert "不存在" in refused("signout", "JL-001", "--officer", "nobody")
    assert "--officer" in refused("signout", "JL-001")
    assert "电量" in refused("signout", "JL-001", "--officer", world.officer.username, "--battery", "full")
    assert "电量" in refused("signout", "JL-001", "--officer", world.officer.username, "--battery", "150")
    assert "ISO 8601" in refused("signout", "JL-001", "--officer", world.officer.username, "--device-time", "昨天")
    assert "没有未归还" in refused("return", "JL-001")
    assert "检查结果" in refused("check", "JL-001", "--result", "还行")
    assert "日期" in refused("check", "JL-001", "--date", "明天")
    assert "故障情况" in refused("fault", "JL-001")
    assert "没有未返回的送修" in refused("repair-back", "JL-001", "--work", "换电池")
    assert "报废原因" in refused("scrap", "JL-001")
    assert "参数错误" in refused("signout", "JL-001", "--frobnicate")
    assert "请给出操作" in refused()
    assert (Device.objects.count(), SignOut.objects.count(), Entry.objects.count()) == before


def test_as_user_acts_with_their_rights(world):
    admin = device_admin(world)
    run("--as", admin.username, "add", "JL-001", "--model", "DSJ-V9")
    assert Device.objects.get().created_by == admin
    run("--as", admin.username, "signout", "JL-001", "--officer", world.officer.username)
    assert SignOut.objects.get().recorded_by == admin
    assert "同一时间只能由一人领用" in refused("--as", admin.username, "signout", "JL-001",
                                               "--officer", world.officer2.username)
    assert "设备管理员" in refused("--as", world.officer2.username, "return", "JL-001")
    assert "设备管理员" in refused("--as", world.officer2.username, "list")
    assert Entry.objects.filter(action=v.DENIED, actor_id=world.officer2.pk).count() == 2
    assert "已归还" in run("--as", admin.username, "return", "JL-001")


def test_help_of_every_subcommand_prints():
    import argparse

    from liuhen.devices.management.commands.device import Command

    parser = Command().create_parser("liuhen", "device")
    assert "音像记录设备" in parser.format_help()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subs.choices.items():
        assert sub.format_help(), name
