"""Who draws sample rounds and what each item is checked for are the agency profile's
`inspections:` section (issue 15). The settings of issue 14 are retired: still set, each is refused
at start with its id (liuhen.inspections.E001 / E002) naming what replaced it. A malformed checklist
or an unknown role is refused when the profile is loaded (liuhen/profiles/tests/test_sections_*.py)."""
import pytest

from liuhen.inspections import services
from liuhen.inspections import vocabulary as v
from liuhen.inspections.checks import checklist_setting, roles_setting

pytestmark = pytest.mark.django_db

# issue 14's settings.py defaults, literally: an agency on the base profile keeps them.
OLD_ROLES = {"supervisor", "agency_head"}
OLD_CHECKLIST = {
    "footage": [("worn", "佩戴位置规范", "LW-D 5"), ("switched_on", "到场即开启记录", "LW-D 6"),
                ("opening_words", "开场用语完整", "LW-D 6"), ("certificates", "出示执法证件", "LW-D 7"),
                ("continuous", "全程连续记录", "LW-D 3；LQ 22"), ("clear", "音画清晰完整", "LW-D 3")],
    "device": [("intact", "设备完好", "LW-D 4"), ("battery_storage", "电量与存储正常", "LQ 24"),
               ("clock", "时钟准确", "LQ 24"), ("register", "领用归还登记完整", "LW-D 4")],
}


def test_unset_passes_and_the_base_profile_keeps_the_old_defaults(settings, world):
    settings.LIUHEN_INSPECTION_CHECKLIST = settings.LIUHEN_INSPECTION_ROLES = ""
    assert checklist_setting() == [] and roles_setting() == []
    assert services.inspection_roles(world.agency.pk) == OLD_ROLES
    for kind, items in OLD_CHECKLIST.items():
        assert [(c["code"], c["label"], c["basis"]) for c in services.checklist_for(kind, world.agency.pk)] == items


@pytest.mark.parametrize("name, check, check_id", [
    ("LIUHEN_INSPECTION_CHECKLIST", checklist_setting, "liuhen.inspections.E001"),
    ("LIUHEN_INSPECTION_ROLES", roles_setting, "liuhen.inspections.E002"),
])
@pytest.mark.parametrize("value", ["supervisor", ["supervisor"], {"footage": []}])
def test_a_retired_setting_still_set_is_refused(settings, name, check, check_id, value):
    setattr(settings, name, value)
    (error,) = check()
    assert error.id == check_id and name in error.msg and "已停用" in error.msg
    assert "inspections:" in error.hint and "liuhen profile load" in error.hint


def test_the_check_runs_with_the_others(settings):
    from django.core import checks

    settings.LIUHEN_INSPECTION_CHECKLIST = {"footage": []}
    assert {e.id for e in checks.run_checks()} >= {v.CHECK_CHECKLIST}


def test_the_profiles_roles_decide_who_inspects(world):
    from django.core.exceptions import PermissionDenied

    from liuhen.testing.profiles import load, profile_text

    assert services.may_inspect(world.agency_head) and not services.may_inspect(world.reviewer)
    load(world, profile_text(body="inspections:\n  roles: [legal_reviewer]\n"))
    assert services.may_inspect(world.reviewer) and not services.may_inspect(world.agency_head)
    with pytest.raises(PermissionDenied, match="只有法制审核人员可以进行音像记录抽检"):
        services._require_inspector(world.agency_head)
    # the checklist, not given, is base's still
    assert [c["code"] for c in services.checklist_for("device", world.agency.pk)][0] == "intact"
