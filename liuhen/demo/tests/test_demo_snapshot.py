"""The demo restored from the run's one build (liuhen/testing/demo.py) is the demo a build gives, and
is read as such: what the process cached of rows by id before the restore — a parsed profile of
a version an earlier test loaded and rolled back under the same id, a year of the working-day
calendar read a moment ago — does not stand in for the restored rows (the cause of the wrong
执法规则配置 page a restored demo once showed in tests/browser/test_oversight_walk.py)."""
import dataclasses

import pytest

from liuhen.accounts.models import Agency
from liuhen.profiles import loader
from liuhen.profiles import selectors as profiles
from liuhen.profiles.models import ProfileVersion
from liuhen.testing import demo as scenes
from liuhen.workdays import calendar
from liuhen.workdays.models import YearSchedule


def _snapshot(tmp_path_factory, django_db_blocker):
    snapshot = scenes.demo_snapshot(tmp_path_factory, django_db_blocker)
    assert snapshot.rows is not None, "the demo's build is not copied in: each test module builds it again"
    return snapshot


def test_a_restored_profile_version_is_read_from_its_own_row(db, fresh_home, settings, tmp_path_factory,
                                                            django_db_blocker):
    snapshot = _snapshot(tmp_path_factory, django_db_blocker)
    columns, rows = snapshot.rows["profiles_profileversion"]
    # What an earlier test of this worker leaves behind: the parsed profile of a version it loaded
    # (and rolled back) under the id the demo's version gets here.
    stale = dataclasses.replace(loader.packaged("base"), version=99, sha256="0" * 64)
    for row in rows:
        profiles._BY_VERSION[row[columns.index("id")]] = (stale.sha256, stale)

    scenes.restore_demo(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)
    assert scenes.last_restore_fitted
    agency = Agency.objects.get()
    latest = ProfileVersion.objects.filter(agency=agency).order_by("-number").first()
    assert latest is not None and latest.number >= 1
    shown = profiles.active_profile(agency)  # what the 执法规则配置 page shows
    assert (shown.version, shown.sha256) == (latest.number, latest.sha256)
    parsed = loader.build(latest.source, label=f"{latest.code} 第{latest.number}版", check_names=False)
    assert shown == dataclasses.replace(parsed, version=latest.number, sha256=latest.sha256)


def test_a_restored_working_day_calendar_is_read_at_once(db, fresh_home, settings, tmp_path_factory,
                                                         django_db_blocker, monkeypatch):
    snapshot = _snapshot(tmp_path_factory, django_db_blocker)
    # The calendar looks for newly loaded years at most once a REFRESH_SECONDS; a restore is faster
    # than that on a quick machine — here always.
    monkeypatch.setattr(calendar, "REFRESH_SECONDS", 3600)
    calendar.clear_cache()
    assert not YearSchedule.objects.filter(year=2026).exists()
    before = calendar.source(2026)  # read (and cached) before the restore: the library's year

    scenes.restore_demo(snapshot, fresh_home, settings.LIUHEN_BLOB_DIR)
    assert scenes.last_restore_fitted
    loaded = YearSchedule.objects.filter(year=2026).order_by("-id").first()
    assert loaded is not None and before != loaded.pk
    assert calendar.source(2026) == loaded.pk  # the demo's notice, not the library's year cached before


@pytest.mark.django_db(transaction=True)
def test_a_restore_rolled_back_leaves_no_sequence_behind_the_committed_rows():
    """A restore moves the ids' sequences past the rows it inserted — never back: PostgreSQL's
    sequences are not rolled back with the transaction, and a seed put back under lower ids than the
    committed ones (after a flush) left the log's sequence behind them for the worker's later tests."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    committed = [Group.objects.create(name=f"g{i}").pk for i in range(5)]
    with transaction.atomic():
        Group.objects.all().delete()
        scenes._insert({"auth_group": (["id", "name"], [(min(committed), "scene")])})
        transaction.set_rollback(True)
    assert Group.objects.create(name="after").pk > max(committed)
