"""The stage-gate registry, rules as data, and the layering: cases imports nothing of records."""
import ast
import pathlib

import pytest
from django.core.exceptions import ValidationError

from liuhen.cases import gates, requirements, rules
from liuhen.cases import services as cases
from liuhen.cases import vocabulary as V
from liuhen.cases.models import Procedure, Stage
from liuhen.testing.cases import add_person, complete

CASES_DIR = pathlib.Path(__file__).resolve().parents[1]


def _imports(source: str) -> set[str]:
    tree = ast.parse(source)
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_nothing_in_cases_imports_records_or_higher_apps():
    """Layers: common → ledger → accounts → media → cases → records → web, demo (issue 12 §7)."""
    higher = ("liuhen.records", "liuhen.web", "liuhen.demo")
    offenders = {}
    for path in CASES_DIR.rglob("*.py"):
        if "tests" in path.relative_to(CASES_DIR).parts:
            continue
        bad = {m for m in _imports(path.read_text(encoding="utf-8")) if m.startswith(higher)}
        if bad:
            offenders[str(path.relative_to(CASES_DIR))] = bad
    assert offenders == {}


def test_the_import_scan_sees_an_import():
    """The scan above would catch a lazy import inside a function (what the old code did)."""
    assert "liuhen.ledger" in _imports((CASES_DIR / "services.py").read_text(encoding="utf-8"))
    lazy = "def f():\n    from liuhen.records.selectors import type_names\n    import liuhen.web.views\n"
    assert _imports(lazy) == {"liuhen.records.selectors", "liuhen.web.views"}


@pytest.fixture
def extra_gate():
    calls = []

    def gate(case, stage, entered, *, closing=False):
        calls.append((case.pk, stage, set(entered), closing))
        return ["外部关口：尚未完成某项检查"] if stage == Stage.START else []

    gates.register_gate("test-extra", gate)
    yield calls
    gates._GATES.pop("test-extra")


def test_a_registered_gate_is_asked_and_blocks(world, extra_gate):
    case = world.open_case()
    add_person(world, case)
    complete(world, case, "start_approval")
    assert cases.transition_blockers(case) == ["外部关口：尚未完成某项检查"]
    assert extra_gate[-1] == (case.pk, Stage.START, {Stage.START}, False)
    with pytest.raises(ValidationError) as exc:
        cases.advance(world.officer, case)
    assert "外部关口：尚未完成某项检查" in exc.value.messages


def test_the_records_gate_is_registered_by_the_records_app():
    assert "records" in gates.registered_gates()


def test_missing_requirements_are_data_with_their_basis(world):
    case = world.open_case()
    [req] = cases.missing_requirements(case)
    assert tuple(req) == ("start_approval", "acceptance_notice")
    assert req.id == "start_document" and "LC 8" in req.basis


def test_every_requirement_has_an_id_and_a_basis():
    reqs = [r for stages in requirements.REQUIREMENTS.values() for rs in stages.values() for r in rs]
    reqs += [r for stages in requirements.KIND_OVERRIDES.values() for rs in stages.values() for r in rs]
    reqs += [requirements.EMERGENCY_START, *requirements.CLOSURE.values(), *requirements.ARCHIVE_AFTER_CLOSURE]
    assert reqs
    for r in reqs:
        assert r.id and r.basis and len(r) >= 1, r


def test_rules_carry_their_citation():
    assert rules.ON_SITE_OFFICERS == rules.Rule("on_site_officers", 2, "LC 10, LQ 17", rules.ON_SITE_OFFICERS.text)
    assert cases.MIN_ON_SITE_OFFICERS == rules.ON_SITE_OFFICERS.value
    assert rules.EMERGENCY_APPROVAL_HOURS.value == 24 and "LC 8" in rules.EMERGENCY_APPROVAL_HOURS.basis
    assert set(rules.RULES) == {"on_site_officers", "emergency_approval_hours", "close_at_start"}


def test_every_cited_article_is_in_the_regulations():
    """A basis such as "LC 10" names an article that exists in docs/regulations."""
    import re

    regs = CASES_DIR.parents[1] / "docs" / "regulations"
    cn = "零一二三四五六七八九十"

    def chinese(n: int) -> str:
        if n <= 10:
            return "十" if n == 10 else cn[n]
        tens, ones = divmod(n, 10)
        return (cn[tens] if tens > 1 else "") + "十" + (cn[ones] if ones else "")

    bases = {r.basis for r in rules.RULES.values()}
    bases |= {r.basis for stages in requirements.REQUIREMENTS.values() for rs in stages.values() for r in rs}
    bases |= {requirements.EMERGENCY_START.basis, *(r.basis for r in requirements.CLOSURE.values())}
    for basis in bases:
        for key, num in re.findall(r"(BX|LC|LQ|AS|LW-[PRDL]) (\d+)", basis):
            text = (regs / f"{key}.txt").read_text(encoding="utf-8")
            n = int(num)
            assert f"第{n}条" in text or f"第{chinese(n)}条" in text, (key, n)


def test_the_on_site_rule_is_the_one_enforced(world):
    with pytest.raises(ValidationError) as exc:
        world.open_case(officers=[])
    assert "两名以上" in exc.value.messages[0]


def test_simplified_procedure_start_needs_nothing(world):
    assert requirements.requirements_for(Procedure.SIMPLIFIED, Stage.START) == []


def test_vocabulary_codes_are_listed_and_used():
    src = (CASES_DIR / "ledger_checks.py").read_text(encoding="utf-8")
    used = set(__import__("re").findall(r"V\.(E\d{3})", src))
    assert used and {getattr(V, c) for c in used} <= set(V.FINDING_CODES)
    assert all(code.startswith("cases.E") for code in V.FINDING_CODES)
    assert V.PARTY_REVEAL in V.READ_ACTIONS and V.CASE_VIEW in V.READ_ACTIONS


def test_the_case_page_shows_each_requirement_with_its_basis(client, world):
    case = world.open_case()
    client.force_login(world.officer)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "依据：BX 5, LC 7, LC 8, LQ 8" in page  # 程序启动审批表 或 受理通知书
    assert "依据：BX 11, LC 31, LQ 28" in page  # 归档登记表
    assert "现场执法应有两名以上持有效执法证的执法人员（依据：LC 10, LQ 17）" in page


def test_the_page_outline_without_any_contributor(world):
    """With no app contributing a timeline, the page still shows the five stages and their rules."""
    from liuhen.cases import pages

    saved = list(pages._CASE_PAGE)
    pages._CASE_PAGE.clear()
    try:
        ctx = pages.case_page_context(world.officer, world.open_case(), can_work=True)
    finally:
        pages._CASE_PAGE.extend(saved)
    assert [s["status"] for s in ctx["timeline"]] == ["current", "todo", "todo", "todo", "todo"]
    assert ctx["timeline"][0]["requirements"][0]["basis"] == "BX 5, LC 7, LC 8, LQ 8"
