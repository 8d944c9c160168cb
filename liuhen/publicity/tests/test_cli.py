"""`liuhen publicity export|expire|statistics`: the happy paths, and each bad input answered with a
Chinese message, exit code 2, nothing written and nothing logged."""
import csv
import datetime
import hashlib
import io
import json
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from liuhen.ledger.models import Entry as LedgerEntry
from liuhen.publicity import export, selectors
from liuhen.publicity import vocabulary as v
from liuhen.publicity.models import Step, StepKind
from liuhen.testing.publicity_pages_scene import scene_fixture

THIS_YEAR = timezone.localdate().year


def run(*args):
    out = io.StringIO()
    call_command("publicity", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as e:
        run(*args)
    assert e.value.returncode == 2
    return str(e.value)


def exports():
    return LedgerEntry.objects.filter(action=v.EXPORT)


# The world with a decision (a fine of "5000") notified, issued and published — `to_decision`, `notify`,
# `published_decision` (liuhen.testing.publicity_pages_scene.cli_published_scene) — built once per run and
# restored for each test (liuhen.testing.demo).
scene = scene_fixture("scene", "cli_published_scene")


@pytest.fixture
def world(scene):
    return scene.world


@pytest.fixture
def published(scene):
    return scene.case, scene.entry, scene.version


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_export_each_format(world, published, tmp_path, fmt):
    _, entry, _ = published
    out = tmp_path / f"shuang.{fmt}"
    said = run("export", "--format", fmt, str(out))
    assert "已导出 1 条" in said and out.exists()
    data = out.read_bytes()
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert table[0] == list(export.COLUMNS) and entry.number in table[1]
    elif fmt == "json":
        assert json.loads(data)["记录"][0]["公示编号"] == entry.number
    else:
        from openpyxl import load_workbook

        assert load_workbook(io.BytesIO(data))["行政处罚"]["U2"].value == entry.number
    logged = exports().get()
    detail = json.loads(bytes(logged.leaf))["detail"]
    assert logged.actor_id is None and detail["count"] == 1 and detail["format"] == fmt
    assert detail["channel"] == "cli" and detail["sha256"] == hashlib.sha256(data).hexdigest()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]  # no temporary file left


def test_export_by_year_and_agency(world, published, tmp_path):
    out = tmp_path / "an-empty-year.csv"
    # two years back: the decision's dates are weeks old (notified 40 days ago), so in January last year has it
    assert "已导出 0 条" in run("export", "--format", "csv", "--year", str(THIS_YEAR - 2), "--agency",
                              world.agency.name, str(out))
    assert out.read_bytes().decode("utf-8-sig").startswith("行政相对人名称")


@pytest.mark.parametrize("args, message", [
    (("--format", "pdf"), "参数错误"),
    (("--format", "csv", "--year", "1999"), "年度“1999”不正确"),
    (("--format", "csv", "--year", str(THIS_YEAR + 1)), "不正确"),
    (("--format", "csv", "--year", "二〇二六"), "不正确"),
    (("--format", "csv", "--agency", "不存在的局"), "不存在"),
])
def test_export_bad_input(world, published, tmp_path, args, message):
    out = tmp_path / "x.csv"
    assert message in refused("export", *args, str(out))
    assert not out.exists() and not exports().exists()


def test_export_to_an_unwritable_place(world, published, tmp_path):
    assert "所在的目录不存在" in refused("export", "--format", "csv", str(tmp_path / "no" / "x.csv"))
    assert "是一个目录" in refused("export", "--format", "csv", str(tmp_path))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere (root): the permission cannot refuse")
        assert "不能写入" in refused("export", "--format", "csv", str(locked / "x.csv"))
    finally:
        locked.chmod(0o700)
    assert not exports().exists() and os.listdir(locked) == []


def test_export_when_the_write_fails_leaves_nothing(world, published, tmp_path, monkeypatch):
    """A disk that fails as the file is moved into place: no file, no logged read."""
    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    out = tmp_path / "x.csv"
    assert "不能写入" in refused("export", "--format", "csv", str(out))
    assert not out.exists() and not exports().exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".x.csv")]  # the temporary file removed


def test_expire_removes_entries_past_their_term(world, published, monkeypatch):
    _, entry, version = published
    assert "已撤下 0 条" in run("expire")
    real_now = timezone.now
    later = real_now() + datetime.timedelta(days=1)
    while timezone.localdate(later) <= version.public_until:
        later += datetime.timedelta(days=366)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the timer runs the day after the term
    assert "已撤下 1 条" in run("expire")
    assert Step.objects.filter(version=version, kind=StepKind.REMOVE, actor=None).count() == 1
    assert selectors.status(entry) == selectors.EXPIRED
    assert "已撤下 0 条" in run("expire")  # idempotent


def test_statistics_prints_the_figures(world, published):
    said = run("statistics", str(THIS_YEAR))
    assert f"{world.agency.name}{THIS_YEAR}年度行政执法数据" in said and "作出处罚决定：1" in said
    assert "罚款总额（元）：5000" in said and "公示处罚决定：1" in said
    figures = json.loads(run("statistics", str(THIS_YEAR), "--json"))
    assert figures["decisions"] == 1 and figures["fines"] == 5000 and figures["cases"] == 1


@pytest.mark.parametrize("year", ["1999", str(THIS_YEAR + 1), "abc"])
def test_statistics_bad_year(world, year):
    assert "不正确" in refused("statistics", year)


def test_no_action(world):
    assert "请指定操作" in refused()
