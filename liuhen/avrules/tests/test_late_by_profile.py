"""LC 31, LQ 23, AS 12: footage is late after the agency profile's `av_upload_hours` — the
active profile of the footage's agency, not a constant: an agency whose own profile allows 48
hours finds a clip stored 30 hours after it was recorded in time."""
import datetime

import pytest
from django.utils import timezone

from liuhen.avrules.selectors import late


@pytest.mark.usefixtures("fresh_home")
def test_the_upload_period_is_the_agency_profile_s(world, tmp_path):
    from liuhen.profiles import services as profiles
    from liuhen.testing.avrules import camera, clip

    camera(world)
    item = clip(tmp_path, recorded=timezone.now() - datetime.timedelta(hours=30))
    verdict = late(item)
    assert verdict is not None and verdict.status == "late" and verdict.upload_hours == 24
    profiles.load_profile(None, world.agency, """
code: T48
name: 测试机关
extends: base
rules:
  - {id: av_upload_hours, value: 48, article: 本机关规定, text: 音像记录应在48小时内存储}
""", reason="测试")
    assert late(item) is None
