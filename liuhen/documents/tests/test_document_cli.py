"""`liuhen document RECORD_ID --output FILE.pdf`: the issued PDF byte for byte; `--issue --as` issues
a complete record; otherwise the draft with a note; each exit code (0 written, 1 refused, 2 bad
arguments), every file written logged as a read."""
import hashlib
import json
import os

import pytest

from liuhen.documents import vocabulary as v
from liuhen.documents.models import IssuedDocument
from liuhen.ledger.models import Entry
from liuhen.testing.commands import run_command
from liuhen.testing.documents_seal import complete_record, incomplete_record, pdf_text, pdfsig

pytestmark = pytest.mark.usefixtures("fresh_home")


def _exports():
    return [json.loads(bytes(e.leaf)) for e in Entry.objects.filter(action=v.EXPORT).order_by("pk")]


def test_issue_from_the_command_line_then_export_the_same_bytes(world, tmp_path):
    record = complete_record(world)
    out = tmp_path / "doc.pdf"
    r = run_command("document", str(record.pk), "--output", str(out), "--issue", "--as", world.officer.username)
    assert r.code == 0, r.err
    doc = IssuedDocument.objects.get(record=record)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == doc.pdf_sha256
    assert doc.number.text in r.out and doc.number.text in pdf_text(out)
    assert "Signature is Valid" in pdfsig(out)
    again = tmp_path / "again.pdf"
    assert run_command("document", str(record.pk), "-o", str(again)).code == 0  # issued: no --issue needed
    assert again.read_bytes() == out.read_bytes()
    assert [e["detail"]["issued_document"] for e in _exports()] == [doc.pk, doc.pk]


def test_a_complete_record_without_issue_gives_the_draft_with_a_note(world, tmp_path):
    record = complete_record(world)
    out = tmp_path / "draft.pdf"
    r = run_command("document", str(record.pk), "--output", str(out))
    assert r.code == 0 and "草稿" in r.err and "--issue" in r.err
    assert "Signature is Valid" not in pdfsig(out)
    assert not IssuedDocument.objects.exists()
    assert _exports()[0]["detail"]["draft"] is True


def test_an_incomplete_record_gives_a_draft_and_is_not_issued(world, tmp_path):
    record = incomplete_record(world)
    out = tmp_path / "draft.pdf"
    r = run_command("document", str(record.pk), "--output", str(out))
    assert r.code == 0 and "记录尚不完整" in r.err and "当事人签字" in r.err
    assert "询问笔录" in pdf_text(out)
    r = run_command("document", str(record.pk), "--output", str(tmp_path / "x.pdf"), "--issue",
                    "--as", world.officer.username)
    assert r.code == 1 and "未签发" in r.err and "记录尚不完整" in r.err
    assert not (tmp_path / "x.pdf").exists() and not IssuedDocument.objects.exists()
    assert Entry.objects.filter(action=v.REFUSED).count() == 1


def test_bad_arguments_exit_2_and_write_nothing(world, tmp_path):
    record = complete_record(world)
    out = tmp_path / "doc.pdf"
    for args in (["999999"], ["abc"]):
        r = run_command("document", *args, "--output", str(out))
        assert r.code == 2 and "不存在" in r.err
    r = run_command("document", str(record.pk), "--output", str(out), "--issue", "--as", "nobody")
    assert r.code == 2 and "nobody" in r.err
    r = run_command("document", str(record.pk), "--output", str(tmp_path / "no" / "such" / "dir.pdf"))
    assert r.code == 2 and "不存在" in r.err
    r = run_command("document", str(record.pk), "--output", str(tmp_path))
    assert r.code == 2 and "目录" in r.err
    r = run_command("document", str(record.pk), "--output", str(out), "--issue")
    assert r.code == 2 and "--as" in r.err
    r = run_command("document", str(record.pk), "--output", str(out), "--format", "odt")
    assert r.code == 2
    assert not out.exists() and not IssuedDocument.objects.exists() and not _exports()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only directory")
def test_an_unwritable_output_exits_2(world, tmp_path):
    record = complete_record(world)
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    r = run_command("document", str(record.pk), "--output", str(ro / "doc.pdf"))
    assert r.code == 2 and "无法写入" in r.err


def test_an_unwritable_output_is_refused_before_issuing(world, tmp_path):
    """A file standing where the output's directory should be: exit 2, and the record not issued."""
    record = complete_record(world)
    (tmp_path / "file").write_text("x")
    r = run_command("document", str(record.pk), "--output", str(tmp_path / "file" / "doc.pdf"), "--issue",
                    "--as", world.officer.username)
    assert r.code == 2 and not IssuedDocument.objects.exists()


def test_a_person_who_may_not_see_the_case_is_refused(world, tmp_path):
    record = complete_record(world)
    r = run_command("document", str(record.pk), "--output", str(tmp_path / "d.pdf"), "--as", world.sysadmin.username)
    assert r.code == 1 and "无权" in r.err
    assert not (tmp_path / "d.pdf").exists()


def test_docx_is_the_renderers_or_not_supported_yet(world, tmp_path):
    from liuhen.documents import render

    record = complete_record(world)
    out = tmp_path / "doc.docx"
    r = run_command("document", str(record.pk), "--output", str(out), "--format", "docx")
    if getattr(render, "render_docx", None) is None:
        assert r.code == 2 and "尚不支持" in r.err and not out.exists()
    else:
        assert r.code == 0 and out.read_bytes()[:2] == b"PK"
