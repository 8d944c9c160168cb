"""Review of issue 14 (inspections): a round whose seed was overwritten by SQL with something that is
not hexadecimal — the re-draw page and `liuhen inspections redraw` say the sample does not re-draw
(E005), they do not answer 500 / a traceback."""
import pytest
from django.utils import timezone

from liuhen.inspections import services
from liuhen.inspections import vocabulary as v
from liuhen.inspections.models import Round
from liuhen.testing.devices import device_admin
from liuhen.testing.inspections import command, recorded_footage, supervisor
from liuhen.testing.tampering import drop_append_only, sql

pytestmark = pytest.mark.usefixtures("fresh_home")


@pytest.fixture
def tampered(client, world, tmp_path):
    insp = supervisor(world)
    recorded_footage(world, tmp_path, device_admin(world), n=3)
    today = timezone.localdate()
    round_ = services.draw_round(insp, kind="footage", period_from=today, period_to=today, size=2)
    drop_append_only(Round._meta.db_table)
    sql("UPDATE inspections_round SET seed = %s WHERE id = %s", ["not-a-hex-seed", round_.pk])
    client.force_login(insp)
    return client, Round.objects.get(pk=round_.pk)


def test_the_redraw_of_a_non_hex_seed_is_a_mismatch_not_a_crash(tampered):
    client, round_ = tampered
    result = services.redraw(round_)
    assert not result.match and v.E005 in {c for c, _ in result.problems}
    resp = client.post(f"/inspections/{round_.pk}/redraw/")
    assert resp.status_code == 200
    assert "不一致" in resp.content.decode()


def test_the_cli_redraw_of_a_non_hex_seed_says_so(tampered):
    _, round_ = tampered
    run = command("redraw", str(round_.pk))
    assert run.code == 1 and "不一致" in run.out
