"""`liuhen verify` covers every column of a record that a page shows or a rule uses (issue 12 §5):
creation times, blob sizes, confirmation times; unreadable rows are reported and the rest checked."""
import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone

from liuhen.cases import services as cases
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.ledger.verify import verify_log
from liuhen.records import services
from liuhen.records.models import SignerRole
from liuhen.testing.records import INSPECTION, PARTY, at_decision, investigating, rtype

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no checkpoint or tile from another tree

LATER = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)

DECISION = {
    "handling_opinion": {"facts": "未经许可取水", "basis": "水法第四十八条", "evidence": "检查笔录",
                         "discretion": "初次违法", "proposal": "罚款"},
    "leader_approval": {"matter": "处理意见"},
    "decision": {"doc_number": "测水罚决〔2026〕1号", "facts": "未经许可取水", "basis": "水法第六十九条",
                 "content": "不予行政处罚（违法行为轻微并及时改正）", "remedy": "六十日内申请行政复议",
                 "decided_on": "2026-03-10", "penalty_kind": "不予行政处罚"},  # no 告知书 needed (liuhen.rights)
}


def test_moving_a_records_creation_time_after_a_send_back_is_found(verified_world):
    """After send_back only 审查决定 records made since the case came back count (LW-L 15): moving an
    old record's creation time forward would make the old approval count again."""
    world = verified_world
    case = at_decision(world)
    old = []
    for code, data in DECISION.items():
        rec = services.create_record(world.officer, case, rtype(code), dict(data))
        if code == "leader_approval":
            services.sign_as_leader(world.agency_head, rec)
        else:
            services.sign_as_officer(world.officer, rec)
        old.append(rec)
    case = cases.send_back(world.officer, case, "证据不足，退回补充调查")
    case = cases.advance(world.officer, case)
    assert len(cases.missing_requirements(case)) == 3
    assert verify_log().ok
    drop_append_only("records_record")
    for rec in old:
        sql("UPDATE records_record SET created_at = %s WHERE id = %s", [LATER, rec.pk])
    assert cases.missing_requirements(case) == []  # what the attacker wanted
    report = verify_log()
    for rec in old:
        f = found(report, "altered", f"record:{rec.pk}")
        assert f.code == "records.E003" and "创建时间" in f.message


@pytest.fixture
def scene(verified_world):
    world = verified_world
    case = investigating(world)
    record = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    services.revise_record(world.officer, record, {**INSPECTION, "place": "某村四号取水口"}, "更正地点")
    att = services.attach(world.officer, record, io.BytesIO(b"photo" * 50), "现场.jpg", "image/jpeg")
    services.sign_as_officer(world.officer, record)
    refusal = services.record_other_signature(world.officer, record, role=SignerRole.PARTY, signer_name=PARTY,
                                              refused=True, reason="不认可检查结果")
    services.confirm_refusal(world.officer2, refusal)
    other = services.create_record(world.officer, case, rtype("inspection_record"), dict(INSPECTION))
    services.void_record(world.officer, other, "重复制作")
    assert verify_log().ok
    return world, record, att, refusal, other


@pytest.mark.parametrize("table, column, where, obj, code", [
    ("records_recordversion", "created_at", "record_id = {record} AND number = 1", "record:{record} v1", "records.E007"),
    ("records_recordversion", "created_at", "record_id = {record} AND number = 2", "record:{record} v2", "records.E007"),
    ("records_attachment", "uploaded_at", "id = {att}", "record:{record} attachment:{att}", "records.E011"),
    ("records_recordvoid", "voided_at", "record_id = {other}", "record:{other} void", "records.E022"),
    ("records_refusalconfirmation", "confirmed_at", "signature_id = {refusal} AND officer_id = {officer}",
     "record:{record} signature:{refusal}", "records.E024"),
    ("records_refusalconfirmation", "confirmed_at", "signature_id = {refusal} AND officer_id = {officer2}",
     "record:{record} signature:{refusal}", "records.E024"),
])
def test_moved_times_are_found(scene, table, column, where, obj, code):
    world, record, att, refusal, other = scene
    ids = dict(record=record.pk, att=att.pk, other=other.pk, refusal=refusal.pk, officer=world.officer.pk,
               officer2=world.officer2.pk)
    drop_append_only(table)
    assert sql(f"UPDATE {table} SET {column} = %s WHERE {where.format(**ids)}", [LATER]) == 1
    assert found(verify_log(), "altered", obj.format(**ids)).code == code


def test_changed_blob_size_is_found(scene):
    world, record, att, refusal, other = scene
    drop_append_only("media_blob")
    sql("UPDATE media_blob SET size = 1 WHERE sha256 = %s", [att.blob_id])
    f = found(verify_log(), "altered", f"record:{record.pk} attachment:{att.pk}")
    assert f.code == "records.E011" and "文件大小" in f.message


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite stores text in a date column")
def test_unreadable_record_is_reported_and_the_others_still_checked(scene):
    world, record, att, refusal, other = scene
    drop_append_only("records_record", "records_recordvoid")
    sql("UPDATE records_record SET created_at = %s WHERE id = %s", ["2026-13-45 25:61:00", record.pk])
    sql("UPDATE records_recordvoid SET reason = %s WHERE record_id = %s", ["另一理由", other.pk])
    report = verify_log()
    assert found(report, "altered", f"record:{record.pk}").code == "ledger.E100"
    assert found(report, "altered", f"record:{other.pk} void").code == "records.E022"
