"""`liuhen copies make REQUEST_ID DIR --as USERNAME`: make an approved copy request's package into
DIR (证据复制包, LW-D 13) — for a package too big for a browser download, written straight onto the
disk that goes to the court. The same service as the request page's button: only a person of
the agency profile's copies.maker_roles, only on an approved request, all or nothing, the refusal in the ledger.

Exit code: 0 made; 1 refused (not approved, a file gone from the store…: nothing written);
2 bad arguments (an unknown request or person, DIR not empty)."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.copies import services
from liuhen.copies.models import CopyRequest


class Command(ChineseCommand):
    help = "证据复制：将已批准的申请制作成复制包（LW-D 13）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{make}")
        make = sub.add_parser("make", help="制作复制包")
        make.add_argument("request", metavar="REQUEST_ID", help="证据复制申请编号")
        make.add_argument("dir", metavar="DIR", help="复制包目录（不存在或为空）")
        make.add_argument("--as", dest="as_user", metavar="USERNAME", required=True,
                          help="制作人的用户名（档案管理员、设备管理员等，见机关执法规则配置的 copies.maker_roles）")

    def handle(self, *args, action=None, request=None, dir=None, as_user=None, **opts):
        if action != "make":
            raise fail("请指定操作：make。")
        actor = looked_up(person_named, as_user, "制作人")
        row = CopyRequest.objects.filter(pk=int(request)).first() if str(request).isdigit() else None
        if row is None:
            raise fail(f"证据复制申请“{request}”不存在。")
        try:
            package = services.make_package(actor, row, dir)
        except (ValidationError, PermissionDenied) as exc:
            codes = {getattr(e, "code", "") for e in getattr(exc, "error_list", [])}
            message = "；".join(getattr(exc, "messages", [str(exc)]))
            raise CommandError(f"未制作复制包：{message}", returncode=2 if "dest_exists" in codes else 1) from None
        self.stdout.write(f"已制作复制包：{dir}，{package.files} 个文件，共 {package.size} 字节。")
        self.stdout.write(f"复制包 SHA-256（manifest.json）：{package.manifest_sha256}")
        self.stdout.write(f"离线验证：python -m liuhen.ledger.core.package {dir} --vkey <独立获得的日志公钥文件>")
