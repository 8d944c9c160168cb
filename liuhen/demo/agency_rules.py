"""The demo agency sets a rule of its own in its profile (issue 15): three days ago its 机关负责人
loaded version 2 of its profile — the BX rules unchanged, plus the equipment ratio the agency decided
(one body camera per two certified officers, `devices: equipment_ratio`), which the device registry
shows per unit. Cases keep version 1, which they were opened under; the page /profiles/ shows the
two versions and the devices card of the active one.

Until issue 15 the ratio was the setting LIUHEN_DEVICES (refused now): the demo no longer needs a
setting for its registry to show the ratio."""
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.profiles import services as profiles
from liuhen.profiles.models import ProfileVersion

TEXT = """# 本溪市水务局：在 BX 规则的基础上，规定本局执法记录仪的配备比例（本局决定，法规未作规定）。
code: BX-BS
name: 本溪市水务局行政执法全过程记录规则
regulation: BX
extends: BX

devices:
  equipment_ratio: {cameras: 1, officers: 2}   # 每两名持证执法人员配备一台执法记录仪
"""


def build(builder) -> dict:
    head = next((u for u in builder.people.values() if u.has_role(Role.AGENCY_HEAD)), None)
    with builder_clock(builder):
        profiles.load_profile(head, builder.agency, TEXT, reason="规定本局执法记录仪配备比例（每两名执法人员一台）",
                              label="BX-BS.yaml")
    return {"profile_versions": ProfileVersion.objects.filter(agency=builder.agency).count()}


def builder_clock(builder):
    from .footage import clock_at

    return clock_at(timezone.now())  # a timeline task (builder.py): now is the task's own day
