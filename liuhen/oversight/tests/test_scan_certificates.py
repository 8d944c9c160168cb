"""LC 10 on a scan: only the signatures of officers whose certificates do not cover every day they
signed on are looked at one by one (facts.covered); a renewal without a gap covers, a gap does not."""
import datetime

from django.utils import timezone

from liuhen.oversight import engine
from liuhen.oversight import vocabulary as v
from liuhen.oversight.facts import covered
from liuhen.testing.cases import to_investigation

D = datetime.date
DAY = datetime.timedelta(days=1)


def test_covered_by_certificates_one_after_another():
    certs = {1: [(D(2026, 1, 1), D(2026, 6, 30), False), (D(2026, 7, 1), D(2027, 6, 30), False)],
             2: [(D(2026, 1, 1), D(2026, 6, 29), False), (D(2026, 7, 1), D(2027, 6, 30), False)],
             3: [(D(2026, 3, 1), D(2026, 12, 31), False)]}
    assert covered(certs, 1, D(2026, 2, 1), D(2027, 1, 1))
    assert not covered(certs, 2, D(2026, 2, 1), D(2027, 1, 1))  # 2026-06-30 uncovered
    assert covered(certs, 2, D(2026, 7, 1), D(2026, 7, 1))
    assert not covered(certs, 3, D(2026, 2, 28), D(2026, 3, 1))
    assert not covered(certs, 3, D(2026, 12, 31), D(2027, 1, 1))
    assert not covered(certs, 4, D(2026, 1, 1), D(2026, 1, 1))  # no certificate at all


def _uncertified(case):
    found, _ = engine.evaluate([case.pk])[case.pk]
    return {(f.subject_id, f.officer_id) for f in found if f.code == v.OFFICER_UNCERTIFIED}


def test_a_renewed_certificate_covers_and_a_gap_does_not(world):
    from liuhen.accounts import services as acc
    from liuhen.accounts.models import Certificate

    case = to_investigation(world)
    today = timezone.localdate()
    assert _uncertified(case) == set()
    # Renewed: the old one ended yesterday, the new one starts today — still covered.
    Certificate.objects.filter(holder=world.officer).update(valid_until=today - DAY)
    acc.issue_certificate(None, world.officer, number="1401999999", valid_from=today, valid_until=today + 300 * DAY)
    assert _uncertified(case) == set()
    # A gap: the new one starts tomorrow — every record he signed today is found.
    Certificate.objects.filter(number="1401999999").update(valid_from=today + DAY)
    found = _uncertified(case)
    assert found and {o for _, o in found} == {world.officer.pk}
