"""The sections read from the agency profile cost no query per row: the device registry and the
retention list read the profile once per page (one lookup per agency, the case's version parsed once
per process), however many devices or files; the profile page shows the four sections."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liuhen.testing.devices import camera, device_admin
from liuhen.testing.profiles import load, profile_text

pytestmark = pytest.mark.django_db

RULES = profile_text(body="""retention:
  raw_months: 12
devices:
  check_every_days: 30
  equipment_ratio: {cameras: 1, officers: 2}
""")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_registry_costs_the_same_queries_for_one_device_or_many(client, world):
    load(world, RULES)
    admin = device_admin(world)
    client.force_login(admin)
    camera(world, "JL-001", unit=world.unit)
    client.get("/devices/")
    one = _queries(client, "/devices/")
    for n in range(2, 6):
        camera(world, f"JL-00{n}", unit=world.unit)
    html = client.get("/devices/").content.decode()
    assert "每 30 天检查保养一次" in html and "配备比例" in html  # the profile's values on the page
    assert _queries(client, "/devices/") == one


def test_the_retention_list_costs_the_same_queries_for_one_file_or_many(client, world, tmp_path, fresh_home):
    from liuhen.footage import services as footage
    from liuhen.testing.retention import Shelf, ago

    load(world, RULES)
    shelf = Shelf(world, tmp_path)

    def linked_clip(days):
        item = shelf.clip(ago(days=days))
        case = world.open_case()
        footage.link(world.officer, item, case, case.stage)
        return item

    linked_clip(20)
    client.force_login(world.agency_head)
    client.get("/retention/")
    one = _queries(client, "/retention/")
    for days in (21, 22, 23):
        linked_clip(days)
    assert _queries(client, "/retention/") == one


def test_a_file_is_kept_by_its_agencys_profile(world, tmp_path, fresh_home):
    from django.utils import timezone

    from liuhen.retention import policy
    from liuhen.testing.retention import Shelf, ago

    shelf = Shelf(world, tmp_path)
    item = shelf.clip(ago(days=200))
    start = policy.custody_start(policy.load_facts([item])[item.pk])
    assert policy.verdict(item, timezone.now()).retention_until == start + policy.relativedelta(months=6)
    load(world, RULES)  # raw_months 12: the same file is now kept a year
    vd = policy.verdict(item, timezone.now())
    assert vd.retention_until == start + policy.relativedelta(months=12) and "12 个月" in " ".join(vd.grounds)


def test_the_profile_page_shows_the_four_sections(client, world):
    load(world, RULES)
    client.force_login(world.agency_head)
    html = client.get("/profiles/").content.decode()
    for words in ("音像资料的保存与清理", "12个月", "LW-D 11", "证据复制（移送检察院、法院）", "LW-D 15",
                  "音像记录抽检", "佩戴位置规范", "执法记录设备的抽检项目", "音像记录设备", "每30天",
                  "每2名持证执法人员1台"):
        assert words in html, words


def test_the_retention_page_names_the_profiles_holders(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    assert "法律保全由机关负责人或法制审核人员决定" in client.get(f"/retention/case/{case.pk}/").content.decode()
    load(world, profile_text(body="retention:\n  hold_roles: [legal_reviewer]\n"))
    html = client.get(f"/retention/case/{case.pk}/").content.decode()
    assert "法律保全由法制审核人员决定" in html
    client.force_login(world.agency_head)  # no longer a holder under this profile
    assert "法律保全由法制审核人员决定" in client.get(f"/retention/case/{case.pk}/").content.decode()
