"""`liuhen verify` on cases (issue 12 §5): creation time, who added a party and when, party
versions, grants, the blind index, and a party that cannot be read — which must not hide the rest."""
import base64
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from liuhen.cases import services as cases
from liuhen.cases import vocabulary as V
from liuhen.cases.models import AccessGrant, AccessGrantRevocation, CaseOfficer, Party, StageTransition
from liuhen.common import crypto
from liuhen.ledger.verify import verify_log
from liuhen.testing.cases import OTHER_PERSON_ID, add_person, drop_append_only, integrate, sql

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no tile cached from another tree


def report_codes(report) -> dict:
    """{object: [codes]} of the findings about cases."""
    out = {}
    for f in report.findings:
        if f.object.startswith("case:"):
            out.setdefault(f.object, []).append(f.code)
    return out


def clean(cb):
    integrate(cb)
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def _db_time(at):
    return connection.ops.adapt_datetimefield_value(at)


@pytest.fixture
def scene(world, django_capture_on_commit_callbacks):
    """A case with a party (corrected once), two officers, a grant that was revoked, a live grant
    and one move past 程序启动, verifying clean."""
    case = world.open_case()
    old = add_person(world, case)
    party = cases.correct_party(world.officer, old, reason="证件号码登记错误", kind="person", name="王五",
                                id_number=OTHER_PERSON_ID, phone="13812345678", address="本溪市平山区1号")
    now = timezone.now()
    revoked = cases.grant_access(world.agency_head, case, world.outsider, scope="view", valid_from=now,
                                 valid_until=now + datetime.timedelta(days=1), reason="评查")
    cases.revoke_grant(world.agency_head, revoked, "评查结束")
    live = cases.grant_access(world.unit_head, case, world.officer3, scope="view", valid_from=now,
                              valid_until=now + datetime.timedelta(days=2), reason="调阅")
    case = world.to_investigation(case)
    clean(django_capture_on_commit_callbacks)
    return dict(case=case, old=old, party=party, revoked=revoked, live=live)


def test_one_unreadable_party_does_not_hide_an_edited_stage_and_a_swapped_officer(scene, world):
    """Three changes in one database: a flipped byte in a party's ciphertext, an edited stage
    transition, an officer swapped on the case. Each is reported (before: the party's decryption
    error stopped the whole case check, and the other two went unreported)."""
    case, party = scene["case"], scene["party"]
    drop_append_only("cases_party", "cases_stagetransition", "cases_caseofficer")
    [[token]] = _rows("SELECT id_number FROM cases_party WHERE id = %s", [party.pk])
    suite, b64 = token.split(":", 1)
    raw = bytearray(base64.b64decode(b64))
    raw[20] ^= 0x01
    sql("UPDATE cases_party SET id_number = %s WHERE id = %s", [f"{suite}:{base64.b64encode(bytes(raw)).decode()}",
                                                               party.pk])
    st = StageTransition.objects.filter(case=case, to_stage="investigation").get()
    sql("UPDATE cases_stagetransition SET note = %s WHERE id = %s", ["改写的说明", st.pk])
    link = CaseOfficer.objects.get(case=case, officer=world.officer2)
    sql("UPDATE cases_caseofficer SET officer_id = %s WHERE id = %s", [world.outsider.pk, link.pk])

    codes = report_codes(verify_log())
    assert codes[f"case:{case.pk} party:{party.pk}"] == [V.E015]
    assert codes[f"case:{case.pk} transition:{st.pk}"] == [V.E031]
    assert codes[f"case:{case.pk} officer:{link.pk}"] == [V.E021]
    assert f"case:{case.pk} party:{scene['old'].pk}" not in codes  # the other party still reads


def _rows(query, params):
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchall()


def test_a_blind_index_pointed_elsewhere_is_altered(scene):
    """The ciphertext is untouched; the index now finds this party under another person's number."""
    case, party = scene["case"], scene["party"]
    drop_append_only("cases_party")
    sql("UPDATE cases_party SET id_index = %s WHERE id = %s", [crypto.blind_index("11010519491231002X"), party.pk])
    codes = report_codes(verify_log())
    assert codes == {f"case:{case.pk} party:{party.pk}": [V.E014]}


@pytest.mark.parametrize("column", ["added_by_id", "added_at"])
def test_who_added_a_party_and_when_is_checked(scene, world, column):
    case, party = scene["case"], scene["party"]
    value = world.officer2.pk if column == "added_by_id" else _db_time(party.added_at - datetime.timedelta(days=3))
    drop_append_only("cases_party")
    sql(f"UPDATE cases_party SET {column} = %s WHERE id = %s", [value, party.pk])
    assert report_codes(verify_log()) == {f"case:{case.pk} party:{party.pk}": [V.E013]}


@pytest.mark.parametrize("column,value", [("correction_reason", "另一个理由"), ("supersedes_id", None),
                                          ("name", "李四")])
def test_a_party_version_is_checked(scene, column, value):
    case, party = scene["case"], scene["party"]
    drop_append_only("cases_party")
    sql(f"UPDATE cases_party SET {column} = %s WHERE id = %s", [value, party.pk])
    assert report_codes(verify_log()) == {f"case:{case.pk} party:{party.pk}": [V.E011]}


def test_a_deleted_correction_and_an_inserted_party_are_found(scene, world):
    case, party = scene["case"], scene["party"]
    drop_append_only("cases_party")
    sql("DELETE FROM cases_party WHERE id = %s", [party.pk])
    fake = Party(case=case, kind="person", name="赵六", id_number="440524188001010014",
                 id_index=crypto.blind_index("440524188001010014"), added_by=world.officer)
    fake.save()
    codes = report_codes(verify_log())
    assert codes[f"case:{case.pk} party:{party.pk}"] == [V.E010]
    assert codes[f"case:{case.pk} party:{fake.pk}"] == [V.E012]


def test_the_creation_time_is_checked(scene):
    """The emergency start's 24-hour clock runs from it: backdating it is altered."""
    case = scene["case"]
    sql("UPDATE cases_case SET created_at = %s WHERE id = %s",
        [_db_time(case.created_at - datetime.timedelta(hours=20)), case.pk])
    assert report_codes(verify_log()) == {f"case:{case.pk}": [V.E003]}


@pytest.mark.parametrize("column,value", [("valid_until", "later"), ("scope", "work"), ("user_id", "officer"),
                                          ("reason", "改写")])
def test_an_altered_grant_is_found(scene, world, column, value):
    case, live = scene["case"], scene["live"]
    if value == "later":
        value = _db_time(live.valid_until + datetime.timedelta(days=365))
    elif value == "officer":
        value = world.outsider.pk
    drop_append_only("cases_accessgrant")
    sql(f"UPDATE cases_accessgrant SET {column} = %s WHERE id = %s", [value, live.pk])
    assert report_codes(verify_log()) == {f"case:{case.pk} grant:{live.pk}": [V.E041]}


def test_an_inserted_grant_is_found(scene, world):
    case = scene["case"]
    now = timezone.now()
    g = AccessGrant.objects.create(case=case, user=world.outsider, scope="work", valid_from=now,
                                   valid_until=now + datetime.timedelta(days=9), reason="x", granted_by=world.agency_head)
    assert report_codes(verify_log()) == {f"case:{case.pk} grant:{g.pk}": [V.E042]}


def test_a_deleted_revocation_is_found(scene):
    """Deleting a revocation would bring the grant back to life."""
    case = scene["case"]
    rev = AccessGrantRevocation.objects.get(grant=scene["revoked"])
    drop_append_only("cases_accessgrantrevocation")
    sql("DELETE FROM cases_accessgrantrevocation WHERE id = %s", [rev.pk])
    assert report_codes(verify_log()) == {f"case:{case.pk} revocation:{rev.pk}": [V.E043]}


def test_an_unreadable_case_row_is_a_finding_about_that_case(scene, world):
    """A case whose date column holds text no date parses from: reported, and the other cases still
    checked."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses text in a timestamp column")
    case = scene["case"]
    other = world.open_case()
    link = CaseOfficer.objects.get(case=other, officer=world.officer2)
    drop_append_only("cases_caseofficer")
    sql("UPDATE cases_caseofficer SET is_lead = %s WHERE id = %s", [True, link.pk])
    sql("UPDATE cases_case SET created_at = %s WHERE id = %s", ["not a date", case.pk])
    report = verify_log()
    codes = report_codes(report)
    # SQLite's converter reads the text back without an error: the creation time then differs.
    assert codes[f"case:{case.pk}"] in (["ledger.E100"], [V.E003])
    assert codes[f"case:{other.pk} officer:{link.pk}"] == [V.E021]
