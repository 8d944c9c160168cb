"""The four sections that were settings until issue 15 (retention, copies, inspections, devices):
a bad value is refused with its line and a Chinese reason — loaded for an agency, the refusal is in
the ledger and the active profile stays what it was —, an extending profile overrides key by key,
base carries the old defaults, and the regulation profiles say what their regulations say."""
import pytest

from liuhen.ledger.models import Entry
from liuhen.profiles import loader, selectors, services, spec
from liuhen.profiles import vocabulary as V
from liuhen.testing.profiles import load, profile_text

pytestmark = pytest.mark.django_db


def refused(body: str) -> loader.ProfileError:
    with pytest.raises(loader.ProfileError) as exc:
        loader.build(profile_text(body=body), label="t.yaml")
    return exc.value


def only(err: loader.ProfileError) -> tuple[int, str]:
    assert len(err.errors) == 1, err.lines()
    return err.errors[0][1], err.errors[0][2]


# ---- refused with the line and the reason -------------------------------------------------------------

@pytest.mark.parametrize("body, line, words", [
    # LW-D 11: raw footage at least six months — bare or with its article
    ("retention:\n  raw_months: 5\n", 5, ["5 个月", "少于6个月", "LW-D 11"]),
    ("retention:\n  notice_days: 30\n  raw_months: {value: 3, article: 本局规定}\n", 6, ["3 个月", "LW-D 11"]),
    ("retention:\n  raw_months: \"6\"\n", 5, ["raw_months", "整数"]),
    ("retention:\n  case_file_years: 0\n", 5, ["case_file_years", "1 到 100 的整数"]),
    ("retention:\n  long_term_years: -1\n", 5, ["long_term_years", "null（永久保存）"]),
    ("retention:\n  raw_months: 36\n  case_file_years: 2\n", 6, ["不能短于原始音像资料", "LW-D 11"]),
    ("retention:\n  raw_month: 6\n", 5, ["未知的键“raw_month”"]),
    # roles: known role codes, none of the three administrators (三员分立)
    ("retention:\n  hold_roles: [agency_head, chief]\n", 5, ["hold_roles", "未知的角色 'chief'"]),
    ("copies:\n  approve_roles: [system_admin]\n", 5, ["approve_roles", "三员分立"]),
    ("copies:\n  maker_roles: []\n", 5, ["maker_roles", "非空的角色代码列表"]),
    ("inspections:\n  roles: supervisor\n", 5, ["roles", "非空的角色代码列表"]),
    # checklist items need a code, a label and their basis
    ("inspections:\n  checklist:\n    footage:\n      - {code: worn, label: 佩戴位置规范}\n", 7, ["缺少“basis”"]),
    ("inspections:\n  checklist:\n    footage:\n      - {code: worn, label: 佩戴, basis: \"\"}\n", 7, ["依据（basis）"]),
    ("inspections:\n  checklist:\n    footage:\n      - {code: Worn!, label: 佩戴, basis: LW-D 5}\n", 7, ["代码（code）"]),
    ("inspections:\n  checklist:\n    footage:\n      - {code: a, label: A, basis: LW-D 5}\n"
     "      - {code: a, label: B, basis: LW-D 5}\n", 8, ["“a”重复", "第7行已有"]),
    ("inspections:\n  checklist:\n    footage: []\n", 6, ["至少一项"]),
    ("inspections:\n  checklist:\n    car: [{code: a, label: A, basis: x}]\n", 6, ["未知的键“car”"]),
    # equipment ratio: positive whole numbers of cameras and officers
    ("devices:\n  equipment_ratio: {cameras: 0, officers: 2}\n", 5, ["equipment_ratio", "正整数"]),
    ("devices:\n  equipment_ratio: {cameras: 1}\n", 5, ["equipment_ratio"]),
    ("devices:\n  equipment_ratio: 0.5\n", 5, ["equipment_ratio"]),
    ("devices:\n  equipment_ratio: {cameras: 1.5, officers: 2}\n", 5, ["equipment_ratio"]),
    ("devices:\n  check_every_days: 0\n", 5, ["check_every_days", "1 到 3660"]),
    ("devices:\n  check_every_days: {value: 30, article: \"\"}\n", 5, ["依据（article）为空"]),
    ("devices:\n  check_every_days: {value: 30, basis: LW-D 4}\n", 5, ["未知的键“basis”"]),
    ("devices: [90]\n", 4, ["键值对"]),
])
def test_a_bad_value_is_refused_with_its_line_and_reason(body, line, words):
    got_line, reason = only(refused(body))
    assert got_line == line, reason
    for w in words:
        assert w in reason, reason


def test_loading_a_bad_profile_leaves_the_active_one_and_is_in_the_ledger(world):
    load(world, profile_text(body="retention:\n  raw_months: 12\n"))
    before = selectors.active_profile(world.agency)
    for body in ("retention:\n  raw_months: 5\n", "copies:\n  approve_roles: [boss]\n",
                 "inspections:\n  checklist:\n    device:\n      - {code: a, label: A}\n",
                 "devices:\n  equipment_ratio: {cameras: -1, officers: 2}\n"):
        with pytest.raises(services.ProfileRefused) as exc:
            load(world, profile_text(body=body))
        assert exc.value.profile_error.errors[0][1] is not None  # with its line
        assert selectors.active_profile(world.agency) == before
        assert selectors.active_profile(world.agency).retention.raw_months == 12
    assert Entry.objects.filter(action=V.REFUSED).count() == 4


# ---- extends: key by key --------------------------------------------------------------------------------

def test_an_extending_profile_overrides_one_key_and_keeps_the_others():
    p = loader.build(profile_text(body="""retention:
  notice_days: 60
copies:
  maker_roles: [archivist]
inspections:
  checklist:
    device: [{code: lens, label: 镜头清洁, basis: LW-D 4}]
devices:
  equipment_ratio: {value: {cameras: 1, officers: 3}, article: 本局规定}
"""), label="t.yaml")
    base = loader.packaged("base")
    assert p.retention.notice_days == 60
    assert (p.retention.raw_months, p.retention.hold_roles) == (base.retention.raw_months, base.retention.hold_roles)
    assert p.retention.article("raw_months") == "LW-D 11"  # the parent's article stays with the parent's value
    assert p.copies.maker_roles == ("archivist",) and p.copies.approve_roles == base.copies.approve_roles
    assert p.copies.article("maker_roles") == ""  # a value given without an article has none
    assert [c.code for c in p.inspections.checklist_for("device")] == ["lens"]
    assert p.inspections.checklist_for("footage") == base.inspections.checklist_for("footage")  # the other kind kept
    assert p.devices.equipment_ratio == spec.EquipmentRatio(1, 3) and p.devices.check_every_days == 90
    assert p.devices.article("equipment_ratio") == "本局规定"


def test_an_extending_profile_of_lw_keeps_lws_values(tmp_path):
    (tmp_path / "child.yaml").write_text("code: C\nname: 子\nextends: LW\nretention:\n  notice_days: 10\n",
                                         encoding="utf-8")
    p = loader.build_file(tmp_path / "child.yaml")
    lw = loader.packaged("LW")
    assert p.inspections == lw.inspections and p.retention.notice_days == 10
    assert p.retention.article("raw_months") == "LW-D 11"


def test_a_profile_extending_nothing_gets_the_defaults():
    p = loader.build("code: X\nname: 独立\ndevices:\n  check_every_days: null\n", label="x.yaml")
    assert p.devices.check_every_days is None
    assert p.retention == spec.RetentionSpec() and p.copies == spec.CopiesSpec()


# ---- base is the old settings' defaults; the regulations' profiles ---------------------------------------

def test_base_carries_the_old_defaults_literally():
    """issue 14's settings.py defaults and retention/conf.py DEFAULTS, copied here literally."""
    b = loader.packaged("base")
    r = b.retention
    assert (r.raw_months, r.case_file_years, r.long_term_years, r.notice_days, r.recovery_days) == (6, 30, None, 30, 7)
    assert (r.hold_roles, r.decide_roles, r.restore_roles) == (
        ("agency_head", "legal_reviewer"), ("agency_head",), ("device_admin", "agency_head"))
    assert (b.copies.approve_roles, b.copies.maker_roles) == (("agency_head",), ("archivist", "device_admin"))
    assert b.inspections.roles == ("supervisor", "agency_head")
    assert [c.as_dict() for c in b.inspections.checklist_for("footage")] == [
        {"code": "worn", "label": "佩戴位置规范", "basis": "LW-D 5"},
        {"code": "switched_on", "label": "到场即开启记录", "basis": "LW-D 6"},
        {"code": "opening_words", "label": "开场用语完整", "basis": "LW-D 6"},
        {"code": "certificates", "label": "出示执法证件", "basis": "LW-D 7"},
        {"code": "continuous", "label": "全程连续记录", "basis": "LW-D 3；LQ 22"},
        {"code": "clear", "label": "音画清晰完整", "basis": "LW-D 3"}]
    assert [c.as_dict() for c in b.inspections.checklist_for("device")] == [
        {"code": "intact", "label": "设备完好", "basis": "LW-D 4"},
        {"code": "battery_storage", "label": "电量与存储正常", "basis": "LQ 24"},
        {"code": "clock", "label": "时钟准确", "basis": "LQ 24"},
        {"code": "register", "label": "领用归还登记完整", "basis": "LW-D 4"}]
    assert (b.devices.check_every_days, b.devices.equipment_ratio) == (90, None)
    # and the defaults of the spec (a profile extending nothing) are the same values
    assert (b.retention, b.copies, b.inspections.checklist, b.devices.check_every_days) == (
        spec.RetentionSpec(articles=b.retention.articles), spec.CopiesSpec(articles=b.copies.articles),
        spec.InspectionsSpec().checklist, spec.DevicesSpec().check_every_days)


def test_the_regulation_profiles_cite_their_articles():
    lw, lq = loader.packaged("LW"), loader.packaged("LQ")
    assert lw.retention.raw_months == 6 and lw.retention.article("raw_months") == "LW-D 11"
    assert lw.retention.long_term_years is None and lw.retention.article("long_term_years") == "LW-D 12"
    assert (lw.copies.article("approve_roles"), lw.copies.article("maker_roles")) == ("LW-D 15", "LW-D 13")
    assert lw.inspections.article("roles") == "LW-D 14"
    assert {c.basis for c in lw.inspections.checklist_for("footage")} <= {"LW-D 3", "LW-D 5", "LW-D 6", "LW-D 7",
                                                                          "LW-D 10"}
    assert "stored_daily" in [c.code for c in lw.inspections.checklist_for("footage")]  # LW-D 10
    assert lq.devices.article("check_every_days") == "LQ 24"
    assert {c.basis for c in lq.inspections.checklist_for("device")} <= {"LQ 24", "LQ 26"}
    assert "professional_repair" in [c.code for c in lq.inspections.checklist_for("device")]  # LQ 26


def test_an_agency_on_the_lw_profile_gets_lws_retention_and_checklist(world):
    from liuhen.inspections import services as inspections
    from liuhen.retention import conf

    assert "stored_daily" not in [c["code"] for c in inspections.checklist_for("footage", world.agency.pk)]
    services.load_profile(None, world.agency, loader.packaged_text("LW"), label="LW.yaml")
    codes = [c["code"] for c in inspections.checklist_for("footage", world.agency.pk)]
    assert codes == [c.code for c in loader.packaged("LW").inspections.checklist_for("footage")]
    assert "stored_daily" in codes
    r = conf.for_agency(world.agency.pk)
    assert r.raw_months == 6 and r.article("raw_months") == "LW-D 11"
