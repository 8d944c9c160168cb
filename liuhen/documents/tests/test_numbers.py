"""文号 (numbers.py): a sequence per agency, kind and year, in the profile's format; given only when
issued; a voided number stays listed with its reason; never a duplicate, also with two processes."""
import json
import sys

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from liuhen.documents import numbers, selectors, vocabulary as v
from liuhen.documents.models import DocumentNumber, NumberVoid
from liuhen.ledger.models import Entry
from liuhen.testing.ledger_processes import child_env, template  # noqa: F401


def _issue(world, kind="decision", **kw):
    with transaction.atomic():
        return numbers.issue_number(world.agency_head, world.agency, kind, **kw)


def test_numbers_follow_their_own_sequence_per_kind_and_year(world):
    got = [_issue(world, year=2026).text for _ in range(3)]
    assert got == ["测水罚〔2026〕第1号", "测水罚〔2026〕第2号", "测水罚〔2026〕第3号"]
    assert _issue(world, year=2027).text == "测水罚〔2027〕第1号"
    # the format of the agency's profile (base.yaml's documents.numbering)
    assert _issue(world, "rights_notice", year=2026).text == "测水罚告〔2026〕第1号"
    assert Entry.objects.filter(action=v.NUMBER).count() == 5


def test_a_case_opened_takes_no_number(world):
    world.open_case()
    assert not DocumentNumber.objects.exists()


def test_the_format_comes_from_the_profile_section(world):
    section = {"numbering": {"decision": "{agency}水罚字〔{year}〕第{n:03d}号", "*": "{agency}文〔{year}〕{n}号"}}
    assert _issue(world, year=2026, section=section).text == "测水水罚字〔2026〕第001号"
    assert _issue(world, "rights_notice", year=2026, section=section).text == "测水文〔2026〕1号"

    class Section:  # the profile's section as an object, as profiles.selectors.agency_section gives it
        numbering = {"*": "{agency}{kind}〔{year}〕第{n}号"}

    assert _issue(world, "rights_notice", year=2026, section=Section()).text == "测水权利告知书〔2026〕第2号"
    assert _issue(world, year=2026, section={}).text == "测水罚〔2026〕第2号"  # no formats: the default


@pytest.mark.parametrize("fmt, word", [("{agency}罚〔{year}〕第{num}号", "未知的占位符"),
                                       ("{agency}罚〔{year}〕", "缺少序号"), ("{agency罚〔{year}〕第{n}号", "花括号"),
                                       ("{agency:d}罚第{n}号", "有误"),
                                       ("", "不能为空")])
def test_a_bad_format_is_refused_and_nothing_is_written(world, fmt, word):
    with pytest.raises(ValidationError) as exc:
        _issue(world, year=2026, section={"numbering": {"decision": fmt}})
    assert word in exc.value.messages[0]
    assert not DocumentNumber.objects.exists()


def test_a_format_that_would_print_a_number_twice_is_refused(world):
    section = {"numbering": {"*": "{agency}〔{n}〕号"}}  # no year, no kind
    assert _issue(world, "rights_notice", year=2026, section=section).text == "测水〔1〕号"
    with pytest.raises(ValidationError) as exc:
        _issue(world, "inquiry_record", year=2026, section=section)
    assert "已被使用" in exc.value.messages[0]
    assert DocumentNumber.objects.count() == 1


def test_a_voided_number_stays_listed_with_its_reason_and_is_never_reused(world):
    first, second = _issue(world, year=2026), _issue(world, year=2026)
    void = numbers.void_number(world.agency_head, first, "送达前发现当事人名称有误")
    third = _issue(world, year=2026)
    assert third.n == 3  # the voided number is not given again
    rows = selectors.number_list(world.agency, kind="decision", year=2026)
    assert [(r.number.n, r.status_label) for r in rows] == [(1, "已作废"), (2, "已使用"), (3, "已使用")]
    assert rows[0].void.reason == "送达前发现当事人名称有误" and rows[0].void == void
    assert selectors.gaps(world.agency, "decision", 2026) == []
    [event] = [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=v.VOID)]
    assert event["detail"]["text"] == first.text and event["content_sha256"] == void.ledger_digest()
    assert second.pk != third.pk


def test_voiding_is_for_leaders_once_and_with_a_reason(world):
    number = _issue(world, year=2026)
    with pytest.raises(PermissionDenied):
        numbers.void_number(world.officer, number, "理由")
    with pytest.raises(ValidationError) as exc:
        numbers.void_number(world.agency_head, number, "  ")
    assert "作废理由" in exc.value.messages[0]
    numbers.void_number(world.unit_head, number, "重复编号")
    with pytest.raises(ValidationError) as exc:
        numbers.void_number(world.agency_head, number, "再次作废")
    assert "已作废" in exc.value.messages[0]
    assert NumberVoid.objects.count() == 1
    codes = [json.loads(bytes(e.leaf))["detail"]["codes"] for e in Entry.objects.filter(action=v.REFUSED)]
    assert codes == [["PermissionDenied"], ["reason_required"], ["already_void"]]


def test_two_processes_issuing_at_once_get_no_duplicate_and_no_gap(child_env):
    """Two real processes, each issuing 15 numbers of the same sequence on one database (SQLite
    file in WAL mode, or PostgreSQL): 30 numbers, 1 to 30, each once."""
    setup = child_env.run(sys.executable, "-m", "liuhen.testing.documents_seal", "setup")
    assert setup.returncode == 0, setup.stderr
    agency = str(json.loads(setup.stdout.strip().splitlines()[-1])["agency"])
    procs = [child_env.spawn(sys.executable, "-m", "liuhen.testing.documents_seal", "issue", agency, "15")
             for _ in range(2)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    (child_env.home / "go").touch()  # both are up (Django loaded): they issue at the same time
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
        outs.append(json.loads(out.strip().splitlines()[-1]))
    assert sorted(outs[0] + outs[1]) == list(range(1, 31))
    dump = child_env.run(sys.executable, "-m", "liuhen.testing.documents_seal", "dump")
    assert dump.returncode == 0, dump.stderr
    rows = json.loads(dump.stdout)
    assert [n for n, _ in rows] == list(range(1, 31))
    assert len({t for _, t in rows}) == 30 and rows[0][1] == "并测罚〔2026〕第1号"
