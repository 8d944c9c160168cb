"""The `world` fixture's World is built once per run and copied into each test's database
(liuhen.testing.world.restored_world): a copied World works as a built one — its people log in, hold
their roles and certificates, and its log verifies —; a test whose fixtures wrote before it gets one
built on what they left; after a transactional test's flush the database holds the seed it was set
up with again (liuhen.testing.demo.keep_seed), so the next test's World is copied, not built.

The tests of this module run in this order in one worker (pytest-xdist --dist loadscope; pytest-django
runs the transactional one last)."""
import datetime

import pytest
from django.utils import timezone

from liuhen.testing import demo
from liuhen.testing import world as worlds


def test_a_copied_world_works_as_a_built_one(world, client):
    from liuhen.accounts.roles import Role
    from liuhen.accounts.models import Certificate
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log

    assert worlds.last_world_restored
    assert set(world.officer.groups.values_list("name", flat=True)) == {Role.OFFICER.value}
    assert world.officer == type(world.officer).objects.get(username="zhang")  # this database's row, by its id
    today = timezone.localdate()
    assert Certificate.objects.get(holder=world.officer).valid_until == today + datetime.timedelta(days=365)
    assert client.login(username="zhang", password=world.PASSWORD)
    case = world.open_case()
    assert case.officers.get(is_lead=True).officer == world.officer
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_each_test_gets_objects_of_its_own(world):
    world.officer.full_name = "改了"
    world.officer.save()
    assert worlds.last_world_restored


def test_the_last_change_is_not_seen(world):
    assert world.officer.full_name == "张明" and type(world.officer).objects.get(username="zhang").full_name == "张明"


@pytest.fixture
def an_agency_first(db):
    from liuhen.accounts import services as acc

    return acc.create_agency(None, name="另一个局", short_name="另局")


def test_a_fixture_that_wrote_first_gets_a_built_world(an_agency_first, world):
    from liuhen.accounts.models import Agency

    assert worlds.last_world_restored is False
    assert set(Agency.objects.values_list("name", flat=True)) == {"另一个局", "测试市水务局"}


def test_settings_a_world_depends_on_name_a_snapshot_of_their_own(settings):
    before = worlds._settings_variant()
    settings.LIUHEN_BLOB_DIR = settings.LIUHEN_BLOB_DIR / "elsewhere"  # the test's own directory: same World
    assert worlds._settings_variant() == before
    settings.LIUHEN_LEDGER_HASH = "sm3"
    assert worlds._settings_variant() != before


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_database_is_as_set_up_and_the_next_world_is_copied(settings, tmp_path_factory,
                                                                               django_db_blocker):
    """(pytest-django runs transactional tests after the others: the flush is this test's own, as the
    one that ends each transactional test.)"""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    worlds.restored_world(settings, tmp_path_factory, django_db_blocker)  # committed: no transaction here
    assert worlds.last_world_restored
    # as a transactional test's teardown flushes: the ids go on (the command alone would reset them)
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    # the seed under the ids it was set up with, not those the flush's post_migrate gave it
    columns, rows = demo._canonical["django_content_type"]
    assert sorted(ContentType.objects.values_list("id", flat=True)) == sorted(r[columns.index("id")] for r in rows)
    assert demo.seed_untouched()
    worlds.restored_world(settings, tmp_path_factory, django_db_blocker)
    assert worlds.last_world_restored, "the seed was not put back after the flush: the world was built"
