"""`liuhen archive export CASE_NUMBER DIR [--as USERNAME]`: the case's archival package (归档信息包,
BagIt) into DIR; `liuhen archive check DIR [--vkey FILE]`: its 四性检测 (DA/T 70), the same checker
as `python -m liuhen.archive.core.check`.

Exit code: export 0 made, 1 refused (a file gone from the store…), 2 an unknown case or person, DIR
not empty — nothing written; check 0 every item passes, 1 any fails, 2 not a package."""
import contextlib

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up

from liuhen.archive.core import check
from liuhen.archive.package import export


class Command(ChineseCommand):
    help = "归档：导出案件的归档信息包（BagIt），四性检测（DA/T 70）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{export,check}")
        made = sub.add_parser("export", help="导出归档信息包")
        made.add_argument("case_number", metavar="CASE_NUMBER", help="案件编号")
        made.add_argument("dir", metavar="DIR", help="信息包目录（不存在或为空）")
        made.add_argument("--as", dest="as_user", metavar="USERNAME", help="导出人的用户名（记入日志）")
        checked = sub.add_parser("check", help="四性检测")
        checked.add_argument("dir", metavar="DIR", help="信息包目录")
        checked.add_argument("--vkey", metavar="FILE", help="独立获得的日志公钥文件")

    def handle(self, *args, action=None, case_number=None, dir=None, as_user=None, vkey=None, **opts):
        if action == "check":
            argv = [dir, *(["--vkey", vkey] if vkey else [])]
            # The offline checker prints; its lines go where this command's output goes.
            with contextlib.redirect_stdout(self.stdout._out), contextlib.redirect_stderr(self.stderr._out):
                code = check.main(argv)
            if code:
                raise CommandError("四性检测未通过。" if code == 1 else "不是可读的归档信息包。", returncode=code)
            return
        if action != "export":
            raise fail("请指定操作：export 或 check。")
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
