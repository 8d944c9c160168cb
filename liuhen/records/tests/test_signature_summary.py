"""Each record's signatures summed up beside them (records.summary): written with every signature
(the services, Signature.save, bulk_create), recomputed by `liuhen verify` — a summary that differs
from the signatures is records.E033 — rebuilt by `refresh_all`, and the system check
liuhen.records.E101 asks for a column per (capacity, signer role) pair."""
from django.db import connection

from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.records import bulk, summary
from liuhen.records import services as rec
from liuhen.records import vocabulary as V
from liuhen.records.models import SignatureSummary, SignerRole
from liuhen.testing.cases import make_record, to_decision, to_investigation


def _stored(record_id) -> dict:
    return {c: getattr(SignatureSummary.objects.get(pk=record_id), c) for c in summary.columns()}


def _e033(report) -> set[str]:
    return {f.object for f in report.findings if f.code == V.E033}


def test_the_services_keep_the_summary_with_the_signatures(fresh_home, world):
    case = to_investigation(world)
    inquiry = make_record(world, case, "inquiry_record")
    assert not SignatureSummary.objects.filter(pk=inquiry.pk).exists()  # nothing signed: no row
    rec.sign_as_officer(world.officer, inquiry)
    first = _stored(inquiry.pk)
    assert first["officer_rows"] == 1 and first["officer_low"] == first["officer_high"] == world.officer.pk
    assert first["party_first"] is None and first["odd"] == 0
    rec.sign_as_officer(world.officer2, inquiry)
    rec.record_other_signature(world.officer, inquiry, role=SignerRole.PARTY, signer_name="王五")
    now = _stored(inquiry.pk)
    assert now["officer_rows"] == 2 and {now["officer_low"], now["officer_high"]} == {world.officer.pk, world.officer2.pk}
    assert now["party_first"] is not None and now["officer_last"] >= first["officer_last"]
    case2 = to_decision(world)
    approval = make_record(world, case2, "leader_approval")
    rec.sign_as_officer(world.officer, approval)
    rec.sign_in_capacity(world.agency_head, approval, SignerRole.LEADER, decision="同意", opinion="")
    assert _stored(approval.pk)["first_leader_agency_head"] is not None
    assert _stored(approval.pk)["first_leader_unit_head"] is None
    refused = make_record(world, case, "rights_notice")
    rec.record_other_signature(world.officer, refused, role=SignerRole.PARTY, signer_name="王五",
                               refused=True, reason="不认可")
    assert _stored(refused.pk)["odd"] == 1  # a refusal is judged signature by signature
    integrate_all()
    assert not _e033(verify_log())


def test_verify_reports_a_summary_that_differs_from_the_signatures(fresh_home, world):
    case = to_investigation(world)
    changed, removed, invented = (make_record(world, case, "inquiry_record") for _ in range(3))
    for r in (changed, removed):
        rec.sign_as_officer(world.officer, r)
        rec.sign_as_officer(world.officer2, r)
    integrate_all()
    assert not _e033(verify_log())
    table = SignatureSummary._meta.db_table
    with connection.cursor() as cur:  # a summary that would make the scan call a record complete…
        cur.execute(f"UPDATE {table} SET officer_rows = 1, officer_high = officer_low WHERE record_id = %s",
                    [changed.pk])
        cur.execute(f"DELETE FROM {table} WHERE record_id = %s", [removed.pk])
        cur.execute(f"INSERT INTO {table} (record_id, officer_rows, officer_low, officer_high, odd) "
                    f"VALUES (%s, 2, %s, %s, 0)", [invented.pk, world.officer.pk, world.officer2.pk])
    assert _e033(verify_log()) == {f"record:{r.pk}" for r in (changed, removed, invented)}
    summary.refresh_all()  # rebuilt from the signatures; a record never signed keeps no row
    assert not _e033(verify_log())
    assert not SignatureSummary.objects.filter(pk=invented.pk).exists()
    assert _stored(changed.pk)["officer_rows"] == _stored(removed.pk)["officer_rows"] == 2


def test_a_capacity_role_without_a_column_is_a_system_check_error(monkeypatch):
    assert summary.check_columns() == []
    monkeypatch.setattr(bulk, "_PIVOT", bulk._PIVOT + (("reviewer", "agency_head"),))
    errors = summary.check_columns()
    assert [e.id for e in errors] == [V.CHECK_SUMMARY] and "first_reviewer_agency_head" in errors[0].msg
