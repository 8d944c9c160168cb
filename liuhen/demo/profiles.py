"""The demo agency's profile (执法规则配置): 本溪市水务局 (本水) works under its own regulation, BX,
loaded through the real service by its system administrator before any case is opened — so every
demo case pins BX version 1 and the page /profiles/ shows the BX 记录事项清单 with its history.

Call `build(builder)` after `builder.build_people()` and before the first `builder.build_case(...)`.
The version is dated 100 days back (`clock_at`), before the demo's three months of cases."""

from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.profiles import loader
from liuhen.profiles import services as profiles

from .footage import clock_at

REGULATION = "BX"


def build(builder) -> dict:
    admin = next((u for u in builder.people.values() if u.has_role(Role.SYSTEM_ADMIN)), None)
    with clock_at(timezone.now()):  # a timeline task (builder.py): now is the task's own day
        pv = profiles.load_profile(admin, builder.agency, loader.packaged_text(REGULATION),
                                   reason="依据《本溪市水务局行政执法全过程记录制度》编制的记录事项清单（BX 4）",
                                   label=f"{REGULATION}.yaml")
    builder.profile_version = pv
    return {"profile_versions": 1}
