"""`liuhen api …`: the exchange API's clients (对接平台) for the system administrator's scripts.

    liuhen api client add NAME --scopes cases:read,decisions:read [--days 365]   (prints the token, once)
    liuhen api client list [--json]
    liuhen api client revoke NAME
    liuhen api push [--json]      the changes since the last acknowledged push, to each agency's target
                                  (LIUHEN_PUSH_TARGETS, else LIUHEN_PUSH_URL); a configuration problem:
                                  exit 2, nothing sent

`--agency` names the agency when the instance has several (push: every agency unless named). It acts as the system; bad input: a Chinese
message on stderr, exit code 2, nothing written."""
import json as _json

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import CommandError

from liuhen.accounts.selectors import agency_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.exchange import push, services
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import ApiClient


class Command(ChineseCommand):
    help = "数据交换接口：对接平台的登记、列表、停用；向监督平台推送。"

    def add_arguments(self, parser):
        parser.add_argument("--agency", help="执法机关名称或文号简称（只有一个机关时可省略）")
        sub = parser.add_subparsers(dest="what", metavar="{client,push}")
        pu = sub.add_parser("push", help="把上次确认以来的变化推送到监督平台（LIUHEN_PUSH_TARGETS、LIUHEN_PUSH_URL）")
        pu.add_argument("--json", action="store_true", help="以 JSON 输出")
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
        if what == "push":
            return self._push(looked_up(agency_named, agency) if agency else None, **opts)
        if what != "client" or not action:
            raise fail("请给出操作：client add、client list、client revoke 或 push。")
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

    def _push(self, agency, *, json=False, **_):
        try:
            outcomes = push.push_all(agency)
        except ImproperlyConfigured as exc:
            raise fail(str(exc)) from None
        if json:
            self.stdout.write(_json.dumps({"pushes": [o.as_dict() for o in outcomes]}, ensure_ascii=False))
        else:
            for o in outcomes:
                if o.problem == push.NO_TARGET:
                    self.stdout.write(f"{o.agency}：{o.problem}。")
                    continue
                done = f"已推送 {len(o.acknowledged)} 批" if o.acknowledged else "没有新的变化"
                self.stdout.write(f"{o.agency}：{done}" + (f"；{o.problem}，下次运行时重试。" if o.problem else "。"))
        waiting = [o for o in outcomes if o.waiting is not None]
        if waiting:
            # Exit code 1 (not 2, bad input): the platform did not take it, a timer's next run retries.
            raise CommandError(f"{len(waiting)} 个执法机关的推送未被接收，已保留待重试。", returncode=1)
