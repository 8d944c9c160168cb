"""`liuhen archive export CASE_NUMBER DIR [--as USERNAME]`: the case's archival package (归档信息包,
BagIt) into DIR; `liuhen archive check DIR [--vkey FILE]`: its 四性检测 (DA/T 70), the same checker
as `python -m liuhen.archive.core.check`.

Exit code: export 0 made, 1 refused (a file gone from the store…), 2 an unknown case or person, DIR
not empty — nothing written; check 0 every item passes, 1 any fails, 2 not a package.

`liuhen archive import DIR [--vkey FILE] [--as USERNAME]`: another instance's package taken in after its
四性检测 (liuhen.archive.services.import_package), read-only here. Exit code 0 imported, 1 refused (an item
failed — named —, a package already taken in; nothing stored, the refusal in the log), 2 not a package,
an unknown person or key file."""
import contextlib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up

from liuhen.archive.core import check
from liuhen.archive.package import export
from liuhen.archive.services import import_package


class Command(ChineseCommand):
    help = "归档：导出案件的归档信息包（BagIt），四性检测（DA/T 70）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{export,check,import}")
        made = sub.add_parser("export", help="导出归档信息包")
        made.add_argument("case_number", metavar="CASE_NUMBER", help="案件编号")
        made.add_argument("dir", metavar="DIR", help="信息包目录（不存在或为空）")
        made.add_argument("--as", dest="as_user", metavar="USERNAME", help="导出人的用户名（记入日志）")
        checked = sub.add_parser("check", help="四性检测")
        checked.add_argument("dir", metavar="DIR", help="信息包目录")
        checked.add_argument("--vkey", metavar="FILE", help="独立获得的日志公钥文件")
        taken = sub.add_parser("import", help="接收归档信息包（四性检测通过后存入，只读）")
        taken.add_argument("dir", metavar="DIR", help="信息包目录")
        taken.add_argument("--vkey", metavar="FILE", help="独立获得的日志公钥文件")
        taken.add_argument("--as", dest="as_user", metavar="USERNAME", help="接收人的用户名（记入日志）")

    def handle(self, *args, action=None, case_number=None, dir=None, as_user=None, vkey=None, **opts):
        if action == "check":
            argv = [dir, *(["--vkey", vkey] if vkey else [])]
            # The offline checker prints; its lines go where this command's output goes.
            with contextlib.redirect_stdout(self.stdout._out), contextlib.redirect_stderr(self.stderr._out):
                code = check.main(argv)
            if code:
                raise CommandError("四性检测未通过。" if code == 1 else "不是可读的归档信息包。", returncode=code)
            return
        if action == "import":
            return self._import(dir, vkey, as_user)
        if action != "export":
            raise fail("请指定操作：export、check 或 import。")
        actor = looked_up(person_named, as_user, "导出人") if as_user else None
        try:
            catalog = export(actor, case_number, dir)
        except ValidationError as exc:
            codes = {getattr(e, "code", "") for e in exc.error_list}
            message = "；".join(exc.messages)
            raise CommandError(f"未导出归档信息包：{message}",
                               returncode=2 if codes & {"dest_exists", "unknown_case"} else 1) from None
        self.stdout.write(f"已导出归档信息包：{dir}，卷内 {len(catalog['items'])} 件。")
        self.stdout.write(f"四性检测：liuhen archive check {dir} --vkey <独立获得的日志公钥文件>")

    def _import(self, dir, vkey, as_user):
        actor = looked_up(person_named, as_user, "接收人") if as_user else None
        try:
            key = Path(vkey).read_text(encoding="utf-8") if vkey else None
        except OSError as exc:
            raise CommandError(f"公钥文件 {vkey} 无法读取（{exc.strerror}），未接收。", returncode=2) from None
        try:
            pkg = import_package(actor, dir, key)
        except (ValidationError, PermissionDenied) as exc:
            codes = {getattr(e, "code", "") for e in getattr(exc, "error_list", [])}
            message = "；".join(getattr(exc, "messages", None) or [str(exc)])
            raise CommandError(f"未接收归档信息包：{message}", returncode=2 if codes == {"unreadable"} else 1) from None
        self.stdout.write(f"已接收归档信息包：{pkg.case_number}（{pkg.source_agency}），{pkg.files.count()} 个文件，"
                          f"四性检测 {len(pkg.report)} 项通过。")
        if pkg.own_key:
            self.stdout.write("注意：用的是包内自带的公钥验证，请用独立获得的日志公钥复核（--vkey）。")
