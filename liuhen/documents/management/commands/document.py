"""`liuhen document RECORD_ID --output FILE.pdf [--issue --as USERNAME] [--format pdf|docx]`: a
record's document for scripts (执法文书, ISSUE 16 item 7).

- issued already: the sealed PDF as issued (byte for byte the stored one);
- complete, not yet issued, with `--issue`: issued now by the person `--as` names (services.
  issue_document: its 文号, the seal, the archive copy), then written;
- otherwise: the draft (no 文号, no seal), with a note on stderr saying why.
Every file written is a read of case content, logged (documents.export).

Exit code: 0 written; 1 refused (issuing refused: an incomplete record, no right — in the ledger;
a person who may not see the case); 2 bad arguments (an unknown record or person, an output that
cannot be written, a format not supported yet)."""
import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.documents import selectors, seal, services
from liuhen.documents import render
from liuhen.media import store


def _writable(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        raise fail(f"输出文件“{path}”是一个目录。")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise fail(f"输出目录“{parent}”不存在。")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise fail(f"无法写入输出文件“{path}”：没有写权限。")
    return path


def _write(path: Path, data: bytes) -> None:
    """All or nothing: a temporary file beside it, renamed into place."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise fail(f"无法写入输出文件“{path}”：{exc.strerror or exc}") from None


class Command(ChineseCommand):
    help = "导出记录的执法文书（已签发的盖章 PDF；记录完整时可用 --issue 签发；否则为草稿）。"

    def add_arguments(self, parser):
        parser.add_argument("record", metavar="RECORD_ID", help="记录编号")
        parser.add_argument("--output", "-o", required=True, metavar="FILE", help="输出文件（.pdf 或 .docx）")
        parser.add_argument("--format", choices=["pdf", "docx"], default="pdf", help="输出格式（默认 pdf）")
        parser.add_argument("--issue", action="store_true", help="记录完整且尚未签发时，编号、加盖电子印章并签发")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="操作人的用户名（签发时必填）")

    def handle(self, *args, record=None, output=None, format="pdf", issue=False, as_user=None, **opts):
        from liuhen.cases import access
        from liuhen.records.models import Record

        actor = looked_up(person_named, as_user, "人员") if as_user else None
        row = Record.objects.filter(pk=int(record)).select_related("case", "record_type").first() \
            if str(record).isdigit() and len(str(record)) <= 18 else None
        if row is None:
            raise fail(f"记录“{record}”不存在。")
        path = _writable(Path(output))
        if actor is not None and not access.can_view(actor, row.case):
            raise CommandError(f"{actor.get_username()} 无权查看该案件。", returncode=1)
        if format == "docx":
            self._docx(actor, row, path)
            return
        state = selectors.issue_state(row)
        doc = state.issued
        if doc is None and issue:
            if actor is None:
                raise fail("签发文书须用 --as 指定签发人。")
            try:
                doc = services.issue_document(actor, row)
            except (ValidationError, PermissionDenied) as exc:
                message = "；".join(getattr(exc, "messages", None) or [str(exc)])
                raise CommandError(f"未签发：{message}", returncode=1) from None
            except seal.SealError as exc:
                raise CommandError(f"未签发：{exc}", returncode=1) from None
        if doc is not None:
            with store.open_blob(doc.pdf_sha256) as f:
                data = f.read()
            _write(path, data)
            services.record_export(actor, row, issued=doc, sha256=doc.pdf_sha256)
            self.stdout.write(f"已导出已签发文书：{path}（文号 {doc.number.text}，SHA-256 {doc.pdf_sha256}）")
            return
        if state.complete:
            note = "记录已完整，尚未签发（加 --issue --as USERNAME 编号并加盖电子印章）"
        else:
            note = f"记录尚不完整（还缺{'、'.join(state.missing)}）"
        data = render.render_pdf(row)
        _write(path, data)
        services.record_export(actor, row, issued=None, sha256=seal.sha256(data))
        self.stderr.write(f"注意：导出的是草稿，无文号、未盖章——{note}。")
        self.stdout.write(f"已导出草稿：{path}")

    def _docx(self, actor, row, path):
        render_docx = getattr(render, "render_docx", None)
        if render_docx is None:
            raise fail("尚不支持导出 DOCX 格式。")
        doc = selectors.issued_for(row)
        data = render_docx(row, number=doc.number.text) if doc is not None else render_docx(row)
        _write(path, data)
        services.record_export(actor, row, issued=doc, sha256=seal.sha256(data))
        self.stdout.write(f"已导出 DOCX：{path}")
