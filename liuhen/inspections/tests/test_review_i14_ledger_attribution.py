"""Review of issue 14 (inspections): the 抽检台账 (LW-D 14 建立检查台账) counts failures per unit and
per person. A device's unit and custodian change in place (devices.change_device), so a failure found
in a round is counted under whatever unit holds the device *today*: moving the device afterwards
rewrites the closed round's 台账 — the unit that was found wanting disappears from it."""
import pytest
from django.utils import timezone

from liuhen.devices import services as dev
from liuhen.inspections import selectors, services
from liuhen.testing.devices import camera, device_admin
from liuhen.testing.inspections import finish, supervisor

pytestmark = pytest.mark.usefixtures("fresh_home")


def test_a_closed_rounds_failures_stay_with_the_unit_they_were_found_in(world):
    admin = device_admin(world)
    insp = supervisor(world)
    device = camera(world, number="JL-TZ1", unit=world.unit, custodian=world.officer)
    today = timezone.localdate()
    round_ = services.draw_round(insp, kind="device", unit=world.unit, period_from=today, period_to=today, size=1)
    assert round_.sample == [device.pk]
    first = round_.checklist[0]["code"]
    finish(round_, insp, fail={first: "电池无法充电"})
    before = selectors.failure_counts(selectors.ledger(world.agency.pk))
    assert [name for name, _, _ in before["units"]] == [world.unit.name]

    dev.change_device(admin, device, unit=world.other_unit, custodian=world.outsider)

    after = selectors.failure_counts(selectors.ledger(world.agency.pk))
    assert after == before
