"""liuhen.demo.av: the demo's approved 不适宜音像记录说明, made the real way, lets the stage go."""
import pytest

from liuhen.avrules.selectors import case_av
from liuhen.cases import services as cases
from liuhen.cases.models import Stage
from liuhen.demo.av import approved_not_suitable, cover_missing
from liuhen.testing.cases import complete, to_investigation


def test_approved_not_suitable_for_the_first_act_lacking_av(world):
    case = to_investigation(world)
    complete(world, case, "rights_notice")
    inspection = complete(world, case, "inspection_record")
    seizure = complete(world, case, "seizure_record")
    note = approved_not_suitable(case, [world.officer, world.officer2], world.unit_head)
    assert note.versions.get().content["act_serial"] == inspection.serial
    assert [r.status for r in case_av(case)] == ["approved", "missing"]
    [second] = cover_missing(case, [world.officer, world.officer2], world.unit_head)
    assert second.versions.get().content["act_serial"] == seizure.serial
    assert cases.advance(world.officer, case).stage == Stage.DECISION


def test_nothing_to_cover_is_said(world):
    case = to_investigation(world)
    with pytest.raises(ValueError, match="no act of the current stage lacks"):
        approved_not_suitable(case, [world.officer, world.officer2], world.unit_head)
    assert cover_missing(case, [world.officer, world.officer2], world.unit_head) == []
