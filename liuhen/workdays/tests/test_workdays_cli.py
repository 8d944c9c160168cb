"""`liuhen workdays add|load|show|years`: the due date or `unknown` (exit 0), a Chinese error and
exit 2 for bad input, loads from a file; and the real CLI in a subprocess."""
import sys

import pytest

from liuhen.testing.commands import run_command
from liuhen.testing.ledger_processes import child_env, template  # noqa: F401 — the subprocess's database
from liuhen.testing.workdays import FICTIONAL_2038, SCHEDULES, clean_calendar  # noqa: F401
from liuhen.workdays.models import YearSchedule

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clean_calendar")]


def test_add_prints_the_due_date_or_unknown():
    run = run_command("workdays", "add", "2025-01-24", "3")
    assert run.code == 0 and run.out.strip() == "2025-02-05"
    run = run_command("workdays", "add", "2026-03-13", "1")  # a Friday: day 1 is Monday
    assert run.code == 0 and run.out.strip() == "2026-03-16"
    run = run_command("workdays", "add", "2038-01-04", "10")
    assert run.code == 0 and run.out.strip() == "unknown"


@pytest.mark.parametrize("args, message", [
    (("add", "2026-02-30", "3"), "不是存在的日期"),
    (("add", "20260213", "3"), "应为 YYYY-MM-DD"),
    (("add", "2026-02-13", "-1"), "应为非负整数"),
    (("add", "2026-02-13", "三"), "应为非负整数"),
    (("add", "2026-02-13"), "参数错误"),
    (("show", "二〇二六"), "年度“二〇二六”无效"),
    ((), "请给出操作"),
])
def test_bad_arguments_exit_2_in_chinese(args, message):
    run = run_command("workdays", *args)
    assert run.code == 2 and message in run.err, run.err


def test_load_show_and_years(tmp_path, world):
    run = run_command("workdays", "show", "2038")
    assert run.code == 0 and "未知" in run.out
    path = tmp_path / "2038.yaml"
    path.write_text(FICTIONAL_2038, encoding="utf-8")
    run = run_command("workdays", "load", str(path), "--reason", "测试", "--as", world.sysadmin.username)
    assert run.code == 0 and "已载入 2038 年放假安排" in run.out
    assert YearSchedule.objects.get(year=2038).loaded_by == world.sysadmin
    assert run_command("workdays", "add", "2038-01-01", "1").out.strip() == "2038-01-04"
    run = run_command("workdays", "show", "2038")
    assert "测试〔2038〕1号" in run.out and "春节\t2038-02-06（周六）至 2038-02-12（周五），共 7 天" in run.out
    assert "2038-02-13（周六）" in run.out
    years = run_command("workdays", "years").out.splitlines()
    assert years[0].startswith("2038\t") and any(line == "2025\tchinesecalendar 库" for line in years)


def test_a_bad_file_or_person_loads_nothing(tmp_path, world):
    path = tmp_path / "bad.yaml"
    path.write_text(FICTIONAL_2038.replace("to: 2038-02-12", "to: 2038-02-02"), encoding="utf-8")
    run = run_command("workdays", "load", str(path))
    assert run.code == 2 and "第 7 行" in run.err and "早于起始日" in run.err
    run = run_command("workdays", "load", str(tmp_path / "missing.yaml"))
    assert run.code == 2 and "无法读取文件" in run.err
    good = tmp_path / "good.yaml"
    good.write_text(FICTIONAL_2038, encoding="utf-8")
    run = run_command("workdays", "load", str(good), "--as", world.officer.username)
    assert run.code == 2 and "只有系统管理员" in run.err
    assert not YearSchedule.objects.filter(year=2038).exists()


@pytest.mark.django_db(transaction=True)
def test_the_real_cli(child_env):
    """`liuhen workdays` as a script runs it, against a database of its own (a copy of the run's
    migrated one, liuhen.testing.ledger_processes)."""

    def liuhen(*args):
        return child_env.run(sys.executable, "-m", "liuhen", *args, timeout=120)

    run = liuhen("workdays", "add", "2026-02-13", "10")
    assert (run.returncode, run.stdout.strip()) == (0, "2026-03-05")
    assert liuhen("workdays", "add", "2038-01-04", "1").stdout.strip() == "unknown"
    run = liuhen("workdays", "add", "2026-02-13", "x")
    assert run.returncode == 2 and "工作日数“x”无效" in run.stderr
    run = liuhen("workdays", "load", str(SCHEDULES / "2026.yaml"), "--reason", "国办发明电〔2025〕7号")
    assert run.returncode == 0, run.stderr
