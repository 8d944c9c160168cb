"""`liuhen api …`: the exchange API's clients (对接平台) for the system administrator's scripts.

    liuhen api client add NAME --scopes cases:read,decisions:read [--days 365]   (prints the token, once)
    liuhen api client list [--json]
    liuhen api client revoke NAME

`--agency` names the agency when the instance has several. It acts as the system; bad input: a Chinese
message on stderr, exit code 2, nothing written."""
import json as _json

from django.core.exceptions import ValidationError

from liuhen.accounts.selectors import agency_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import ApiClient


class Command(ChineseCommand):
    help = "数据交换接口：对接平台的登记、列表、停用。"

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="执法机关名称或文号简称（只有一个机关时可省略）")
        sub = parser.add_subparsers(dest="what", metavar="{client}")
        client = sub.add_parser("client", help="对接平台：add、list、revoke")
        csub = client.add_subparsers(dest="action", metavar="{add,list,revoke}")
        add = csub.add_parser("add", help="登记对接平台并生成令牌（只显示一次）")
        add.add_argument("name", help="名称")
        add.add_argument("--scopes", default="", help="权限范围，逗号分隔：" + "、".join(v.SCOPES))
        add.add_argument("--days", default="365", help="令牌有效天数（默认 365）")
        ls = csub.add_parser("list", help="列出对接平台")
        ls.add_argument("--json", action="store_true", help="以 JSON 输出")
        rv = csub.add_parser("revoke", help="停用对接平台的令牌")
        rv.add_argument("name", help="名称")

    def handle(self, *args, what=None, action=None, agency=None, **opts):
        if what != "client" or not action:
            raise fail("请给出操作：client add、client list 或 client revoke。")
        agency = looked_up(agency_named, agency or "")
        try:
            getattr(self, f"_{action}")(agency, **opts)
        except ValidationError as exc:
            raise fail("；".join(exc.messages)) from None

    def _add(self, agency, *, name, scopes, days, **_):
        try:
            days = int(days)
        except ValueError:
            raise fail(f"有效天数“{days}”不是整数。") from None
        client, token = services.add_client(None, agency=agency, name=name, days=days,
                                            scopes=[s.strip() for s in scopes.split(",") if s.strip()])
        self.stdout.write(f"已登记对接平台：{client.name}（{'、'.join(client.scopes)}），令牌有效期至 "
                          f"{client.expires_at.astimezone().strftime('%Y-%m-%d %H:%M')}")
        self.stdout.write("令牌（只显示这一次，请配置到对接平台，勿外传）：")
        self.stdout.write(token)

    def _list(self, agency, *, json=False, **_):
        services.log_view(None)
        rows = [{"name": c.name, "scopes": c.scopes, "expires_at": c.expires_at.isoformat(),
                 "revoked": hasattr(c, "revocation")}
                for c in ApiClient.objects.filter(agency=agency).select_related("revocation")]
        if json:
            self.stdout.write(_json.dumps({"clients": rows}, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("尚未登记对接平台。")
        for r in rows:
            self.stdout.write(f"{r['name']}\t{','.join(r['scopes'])}\t{r['expires_at'][:16]}\t"
                              f"{'已停用' if r['revoked'] else '启用'}")

    def _revoke(self, agency, *, name, **_):
        client = ApiClient.objects.filter(agency=agency, name=name).first()
        if client is None:
            raise fail(f"对接平台“{name}”未登记。")
        services.revoke_client(None, client)
        self.stdout.write(f"已停用对接平台 {client.name} 的令牌。")
