"""Record types: JSON checked, rules not retroactive (issue 12 §4)."""
import pytest
from django.urls import reverse

from liuhen.ledger.models import Entry
from liuhen.testing.tampering import drop_append_only, found, sql
from liuhen.ledger.verify import verify_log
from liuhen.records import rules, selectors, services
from liuhen.records.admin import RecordTypeForm
from liuhen.records.catalog_sync import new_type_version
from liuhen.records.models import RecordType, RecordTypeVersion
from liuhen.testing.records import INSPECTION, investigating, rtype
from liuhen.testing.otp import login_verified

pytestmark = pytest.mark.usefixtures("fresh_home")  # fresh keys; no checkpoint or tile from another tree


def change_type(rt, **values):
    """What the admin does: save the type, log its state, append its next version."""
    from liuhen.ledger import services as ledger

    for name, value in values.items():
        setattr(rt, name, value)
    rt.save()
    ledger.append("admin.change", object_type="recordtype", object_id=rt.pk, content_sha256=rt.ledger_digest())
    return new_type_version(rt)


def test_every_catalog_type_has_its_first_version(db):
    for rt in RecordType.objects.all():
        tv = rt.versions.get()
        assert (tv.number, tv.fields, tv.signature_rule) == (1, rt.fields, rt.signature_rule)


def test_a_changed_rule_applies_only_to_later_records(world):
    case = investigating(world)
    rt = rtype("inspection_record")
    before = services.create_record(world.officer, case, rt, dict(INSPECTION))
    tv = change_type(rt, signature_rule={"officers": 2, "party": True, "leader": True},
                     fields=[*rt.fields, {"name": "weather", "label": "天气", "type": "text", "required": False}])
    assert tv.number == 2 and Entry.objects.filter(action="records.type_version", object_id=str(tv.pk)).exists()
    after = services.create_record(world.officer, case, rt, {**INSPECTION, "weather": "晴"})
    assert (before.type_version.number, after.type_version_id) == (1, tv.pk)
    old, new = selectors.record_with_state(before.pk), selectors.record_with_state(after.pk)
    assert old.rule.leader is None and new.rule.leader == "any"
    assert "weather" not in {f["name"] for f in old.fields} and after.versions.get().content["weather"] == "晴"
    # revising the old record keeps its fields
    services.revise_record(world.officer, before, {**INSPECTION, "place": "某村四号取水口", "weather": "雨"}, "更正")
    assert "weather" not in selectors.record_with_state(before.pk).latest.content


def test_unchanged_rule_makes_no_new_version(db):
    rt = rtype("inspection_record")
    assert new_type_version(rt).number == 1 and rt.versions.count() == 1


@pytest.mark.parametrize("fields, message", [
    ([{"name": "a", "label": "甲", "type": "photo"}], "类型“photo”未知"),
    ([{"label": "甲"}], "缺少名称"),
    ([{"name": "a", "type": "text"}], "缺少显示名称"),
    ([{"name": "a", "label": "甲"}, {"name": "a", "label": "乙"}], "字段名称“a”重复"),
    ([{"name": "a", "label": "甲", "type": "choice"}], "必须给出选项"),
    ({"name": "a"}, "必须是一个列表"),
    ([{"name": "a", "label": "甲", "colour": "red"}], "未知的键"),
])
def test_admin_form_refuses_bad_fields(db, fields, message):
    form = RecordTypeForm(data={"code": "x", "name": "新类型", "stage": "start", "fields": __import__("json").dumps(
        fields, ensure_ascii=False), "signature_rule": '{"officers": 1}', "position": 0, "active": True})
    assert not form.is_valid()
    assert any(message in e for e in form.errors["fields"])


@pytest.mark.parametrize("rule, message", [
    ('{"officer": 1}', "未知的键"),
    ('{"officers": "两"}', "0 到 10 的整数"),
    ('{"leader": "mayor"}', "负责人（leader）"),
    ('{"party": "yes"}', "当事人签字"),
    ('{"officers": 0}', "至少要求一人签字"),
    ('[1]', "必须是一个对象"),
])
def test_admin_form_refuses_bad_rules(db, rule, message):
    form = RecordTypeForm(data={"code": "x", "name": "新类型", "stage": "start", "fields": "[]",
                                "signature_rule": rule, "position": 0, "active": True})
    assert not form.is_valid()
    assert any(message in e for e in form.errors["signature_rule"])


def test_admin_labels_are_chinese(db):
    form = RecordTypeForm()
    for name, field in form.fields.items():
        assert not field.label.isascii(), name
        assert not field.help_text or not field.help_text[:4].isascii(), name


def test_admin_change_appends_a_version(admin_client, admin_user, world):
    login_verified(admin_client, admin_user)  # a superuser passes the second factor too
    rt = rtype("expert_opinion")
    url = reverse("admin:records_recordtype_change", args=[rt.pk])
    response = admin_client.post(url, {
        "code": rt.code, "name": rt.name, "stage": rt.stage, "position": rt.position, "active": "on",
        "fields": __import__("json").dumps(rt.fields, ensure_ascii=False), "signature_rule": '{"officers": 2}'})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(rt.versions.values_list("number", "signature_rule")) == [(1, {"officers": 1}), (2, {"officers": 2})]
    assert verify_log().ok
    response = admin_client.post(url, {
        "code": rt.code, "name": rt.name, "stage": rt.stage, "position": rt.position, "active": "on",
        "fields": "[]", "signature_rule": '{"officers": 2, "boss": true}'})
    assert response.status_code == 200 and "未知的键：boss" in response.content.decode()
    assert rt.versions.count() == 2


# ---- verify ---------------------------------------------------------------------------------------

def test_altered_type_version_is_found(verified_world):
    tv = RecordTypeVersion.objects.get(record_type__code="inspection_record")
    drop_append_only("records_recordtypeversion")
    sql("UPDATE records_recordtypeversion SET signature_rule = %s WHERE id = %s", ['{"officers": 0}', tv.pk])
    assert found(verify_log(), "altered", f"recordtypeversion:{tv.pk}").code == "records.E030"


def test_inserted_type_version_is_found(verified_world):
    rt = rtype("inspection_record")
    tv = RecordTypeVersion.objects.create(record_type=rt, number=2, fields=rt.fields, signature_rule={"officers": 0})
    assert found(verify_log(), "inserted", f"recordtypeversion:{tv.pk}").code == "records.E032"


def test_record_repinned_to_a_looser_rule_is_found(verified_world):
    world = verified_world
    case = investigating(world)
    rt = rtype("inspection_record")
    record = services.create_record(world.officer, case, rt, dict(INSPECTION))
    loose = change_type(rt, signature_rule={"officers": 1})
    assert verify_log().ok
    drop_append_only("records_record")
    sql("UPDATE records_record SET type_version_id = %s WHERE id = %s", [loose.pk, record.pk])
    # The record pins its effective rule too (Record.rule, review §5): the repinned version changes nothing
    assert selectors.record_with_state(record.pk).rule == rules.SignatureRule.from_json(record.rule)
    f = found(verify_log(), "altered", f"record:{record.pk}")
    assert f.code == "records.E003" and "适用的签字要求版本" in f.message
