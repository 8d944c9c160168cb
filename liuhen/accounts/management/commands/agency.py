"""`liuhen agency …`: the agencies of one instance (a county's or province's platform) and who
supervises whom (上级监督).

    liuhen agency add NAME --short-name 文号简称 [--credit-code …] [--address …] [--phone …]
    liuhen agency unit AGENCY NAME                        (a 执法机构/科室 of AGENCY)
    liuhen agency supervise SUPERVISOR SUPERVISED --basis 依据
    liuhen agency end-supervision ID --reason 理由
    liuhen agency list [--json]

Agencies are named by name or 文号简称. It acts as the system (actor None) or, with `--as USERNAME`,
as that person with their rights: a supervision is declared or ended only by the platform's system
administrator (of no agency); a refusal is then in the ledger. Bad input: a Chinese message on
stderr, exit code 2, nothing written."""
import json

from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts import services as acc
from liuhen.accounts.models import Agency, Supervision
from liuhen.accounts.selectors import agency_named, person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up


class Command(ChineseCommand):
    help = "执法机关：登记机关和科室，登记或终止上级监督，列出各机关及其监督关系。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份操作（默认：系统）")
        sub = parser.add_subparsers(dest="action", metavar="{add,unit,supervise,end-supervision,list}")
        add = sub.add_parser("add", help="登记执法机关")
        add.add_argument("name", help="机关名称")
        add.add_argument("--short-name", dest="short_name", default="", help="文号简称（必填），如“本水”")
        add.add_argument("--credit-code", dest="credit_code", default="", help="统一社会信用代码")
        add.add_argument("--address", default="", help="地址")
        add.add_argument("--phone", default="", help="电话")
        unit = sub.add_parser("unit", help="登记执法机构（科室）")
        unit.add_argument("agency", help="执法机关名称或文号简称")
        unit.add_argument("name", help="科室名称")
        sup = sub.add_parser("supervise", help="登记上级监督：前者监督后者（其监督人员可查阅后者的案件）")
        sup.add_argument("supervisor", help="监督机关名称或文号简称")
        sup.add_argument("supervised", help="被监督机关名称或文号简称")
        sup.add_argument("--basis", default="", help="监督依据（必填），如“县政府确定的行政执法监督关系”")
        end = sub.add_parser("end-supervision", help="终止上级监督")
        end.add_argument("id", help="上级监督编号（见 list）")
        end.add_argument("--reason", default="", help="终止理由（必填）")
        ls = sub.add_parser("list", help="各执法机关及上级监督关系")
        ls.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, action=None, as_user=None, **opts):
        if not action:
            raise fail("请给出操作：add、unit、supervise、end-supervision 或 list。")
        actor = looked_up(person_named, as_user, "操作人") if as_user else None
        try:
            getattr(self, "_" + action.replace("-", "_"))(actor, **opts)
        except ValidationError as exc:
            raise fail("；".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise fail(str(exc) or "无权进行该操作。") from None

    def _agency(self, name):
        return looked_up(agency_named, name)

    def _add(self, actor, *, name, short_name, credit_code, address, phone, **_):
        if not acc.may_manage_accounts(actor):
            raise PermissionDenied("只有系统管理员可以登记执法机关。")
        agency = acc.create_agency(actor, name=name, short_name=short_name, credit_code=credit_code,
                                   address=address, phone=phone)
        self.stdout.write(f"已登记执法机关：{agency.name}（{agency.short_name}）")

    def _unit(self, actor, *, agency, name, **_):
        target = self._agency(agency)
        if not acc.may_manage_accounts(actor) or (actor is not None and actor.agency_id not in (None, target.pk)):
            raise PermissionDenied("只有本机关或平台的系统管理员可以登记科室。")
        unit = acc.create_unit(actor, target, name=name)
        self.stdout.write(f"已登记执法机构：{target.name} {unit.name}")

    def _supervise(self, actor, *, supervisor, supervised, basis, **_):
        row = acc.grant_supervision(actor, self._agency(supervisor), self._agency(supervised), basis=basis)
        self.stdout.write(f"已登记上级监督 #{row.pk}：{row.supervisor.name} 监督 {row.supervised.name}")

    def _end_supervision(self, actor, *, id, reason, **_):
        row = Supervision.objects.filter(pk=int(id)).first() if id.isdigit() else None
        if row is None:
            raise fail(f"上级监督“{id}”不存在。")
        acc.end_supervision(actor, row, reason=reason)
        self.stdout.write(f"已终止上级监督 #{row.pk}：{row.supervisor.name} 不再监督 {row.supervised.name}")

    def _list(self, actor, *, json: bool = False, **_):
        rows = [{"id": s.pk, "supervisor": s.supervisor.name, "supervised": s.supervised.name, "basis": s.basis,
                 "since": s.granted_at.isoformat(), "ended": hasattr(s, "end")}
                for s in Supervision.objects.select_related("supervisor", "supervised", "end").order_by("id")]
        agencies = [{"id": a.pk, "name": a.name, "short_name": a.short_name, "units": a.units.count(),
                     "people": a.people.count()} for a in Agency.objects.order_by("pk")]
        if json:
            self.stdout.write(_dumps({"agencies": agencies, "supervisions": rows}))
            return
        for a in agencies:
            self.stdout.write(f"{a['name']}（{a['short_name']}）：科室 {a['units']} 个，人员 {a['people']} 人")
        for r in rows:
            state = "已终止" if r["ended"] else "有效"
            self.stdout.write(f"#{r['id']} {r['supervisor']} 监督 {r['supervised']}（{state}）：{r['basis']}")


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)
