"""逾期存储 where footage is listed: the holding area, the footage search and the player show the
late flag avrules derives (footage.selectors.register_flag_source), not only the case page — the
设备管理员 and a supervisor see late uploads before anyone links them (LC 31, LQ 23)."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liuhen.accounts.models import User
from liuhen.footage import selectors
from liuhen.testing.avrules import camera, clip

pytestmark = pytest.mark.usefixtures("fresh_home")

H = datetime.timedelta(hours=1)


def test_a_late_upload_is_flagged_in_the_holding_area_the_search_and_the_player(client, world, tmp_path):
    camera(world)
    late = clip(tmp_path, recorded=timezone.now() - 30 * H)
    on_time = clip(tmp_path, recorded=timezone.now() - 2 * H)
    client.force_login(User.objects.get(username="shebei"))  # camera() made the 设备管理员
    for url in ("/footage/", "/footage/list/", f"/footage/{late.pk}/"):
        html = client.get(url).content.decode()
        assert "逾期存储" in html and "（LC 31, LQ 23）" in html, url
    assert "逾期存储" not in client.get(f"/footage/{on_time.pk}/").content.decode()


def test_the_derived_flags_of_a_page_cost_the_same_queries_for_one_item_or_many(world, tmp_path):
    camera(world)
    one = [clip(tmp_path, recorded=timezone.now() - 30 * H)]
    with CaptureQueriesContext(connection) as single:
        selectors.with_derived_flags(list(one))
    many = one + [clip(tmp_path, recorded=timezone.now() - (26 + i) * H) for i in range(4)]
    with CaptureQueriesContext(connection) as several:
        flagged = selectors.with_derived_flags(list(many))
    assert len(several) == len(single)
    assert all(any(f.startswith("逾期存储") for f in it.all_flags) for it in flagged)
