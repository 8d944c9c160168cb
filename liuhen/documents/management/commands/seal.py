"""`liuhen seal import FILE.p12 [--agency 简称]` and `liuhen seal show [--agency 简称]`: the agency's
electronic seal certificate (电子印章, ISSUE 16 item 3).

In production the seal is a certificate issued by a real CA, delivered as a PKCS#12: `import` puts
its key, certificate and chain in place of the local demo CA's (under $LIUHEN_HOME/seal, key mode
0600) and logs the certificate's fingerprint (documents.seal_import). The password comes from the
environment variable LIUHEN_SEAL_PASSWORD, else from a prompt (never from the command line, where
other users could read it).

Exit code: 0 imported; 2 a bad file, a wrong password, an unknown agency — nothing changed."""
import getpass
import os
from pathlib import Path

from django.core.exceptions import ValidationError

from liuhen.accounts.models import Agency
from liuhen.common.cli import ChineseCommand, fail
from liuhen.documents import seal, services

PASSWORD_ENV = "LIUHEN_SEAL_PASSWORD"


def _agency(short_name):
    if short_name:
        found = Agency.objects.filter(short_name=short_name).first()
        if found is None:
            raise fail(f"执法机关“{short_name}”不存在（--agency 为机关的文号简称）。")
        return found
    agencies = list(Agency.objects.order_by("pk")[:2])
    if len(agencies) != 1:
        raise fail("请用 --agency 指定执法机关的文号简称。" if agencies else "尚无执法机关。")
    return agencies[0]


class Command(ChineseCommand):
    help = "电子印章证书：导入 PKCS#12（import）或查看（show）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{import,show}")
        imp = sub.add_parser("import", help="导入机关的电子印章证书（PKCS#12）")
        imp.add_argument("file", metavar="FILE.p12", help="PKCS#12 文件")
        imp.add_argument("--agency", metavar="简称", help="执法机关的文号简称（只有一个机关时可省略）")
        show = sub.add_parser("show", help="查看机关的电子印章证书")
        show.add_argument("--agency", metavar="简称", help="执法机关的文号简称（只有一个机关时可省略）")

    def handle(self, *args, action=None, file=None, agency=None, **opts):
        if action not in ("import", "show"):
            raise fail("请指定操作：import 或 show。")
        target = _agency(agency)
        if action == "show":
            info = seal.certificate_info(target)
            self.stdout.write(f"主题：{info['subject']}\n颁发者：{info['issuer']}\n有效期至：{info['not_after']}\n"
                              f"SHA-256 指纹：{info['sha256']}")
            return
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise fail(f"无法读取文件“{file}”：{exc.strerror or exc}") from None
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            password = getpass.getpass("PKCS#12 密码（无密码直接回车）：")
        try:
            info = services.import_seal(None, target, data, password.encode() if password else None)
        except ValidationError as exc:
            raise fail(f"未导入：{'；'.join(exc.messages)}") from None
        self.stdout.write(f"已导入{target.name}的电子印章证书：{info['subject']}（SHA-256 指纹 {info['sha256']}）")
