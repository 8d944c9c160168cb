"""`liuhen inspections …`: sample inspections (音像记录抽检, LW-D 14) for scripts and auditors.

    liuhen inspections redraw ROUND_ID [--json]   draw the round's sample again from its recorded
                                                  seed and criteria; exit 0 if it matches, 1 if not
    liuhen inspections list [--json]              the rounds

The re-draw reads only the database and the log (an `inspections.redraw` read event is appended, as
the system or, with `--as USERNAME`, as that person). Bad input: a Chinese message, exit code 2."""
import json

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.inspections import selectors, services
from liuhen.inspections.models import Round


class Command(ChineseCommand):
    help = "音像记录抽检：重新抽取核对、列出抽检轮次（LW-D 14）。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份操作（默认：系统）")
        sub = parser.add_subparsers(dest="action", metavar="{redraw,list}")
        rd = sub.add_parser("redraw", help="按记载的随机种子和抽取条件重新抽取，核对样本")
        rd.add_argument("round_id", help="抽检轮次编号")
        rd.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")
        ls = sub.add_parser("list", help="列出抽检轮次")
        ls.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def handle(self, *args, action=None, as_user=None, **opts):
        actor = looked_up(person_named, as_user) if as_user else None
        if actor is not None and not services.may_inspect(actor):
            raise fail(f"{actor.display_name}不是监督人员或机关负责人，不能核对抽检。")
        if action == "redraw":
            return self.redraw(actor, opts["round_id"], opts["json"])
        if action == "list":
            return self.list(actor, opts["json"])
        raise fail("请指定操作：redraw 或 list（用法见 liuhen inspections --help）。")

    def redraw(self, actor, round_id, as_json):
        rid = str(round_id).strip()
        round_ = Round.objects.filter(pk=int(rid)).first() if rid.isdigit() and len(rid) <= 18 else None
        if round_ is None or (actor is not None and round_.agency_id != actor.agency_id):
            raise fail(f"抽检轮次“{round_id}”不存在。")
        result = services.check_redraw(actor, round_, {"channel": "cli"})
        lines, summary = result.report(round_, "个")
        for line in lines:
            self.stdout.write(line)
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not result.match:
            raise SystemExit(1)

    def list(self, actor, as_json):
        agency_ids = ([actor.agency_id] if actor is not None
                      else sorted(set(Round.objects.values_list("agency_id", flat=True))))
        rounds = [r for a in agency_ids for r in selectors.rounds_of(a)]
        if as_json:
            self.stdout.write(json.dumps({"rounds": [{
                "id": r.pk, "kind": r.kind, "unit": r.unit.name if r.unit_id else None,
                "from": r.period_from.isoformat(), "to": r.period_to.isoformat(), "sample": r.sample,
                "population_size": r.population_size, "seed": r.seed, "closed": r.close_row is not None,
                "findings": r.found} for r in rounds]}, ensure_ascii=False))
            return
        for r in rounds:
            self.stdout.write(f"{r.pk}\t{r.get_kind_display()}\t{r.unit.name if r.unit_id else '全部科室'}\t"
                              f"{r.period_from}～{r.period_to}\t{len(r.sample)}/{r.population_size}\t"
                              f"{'已结束' if r.close_row else '进行中'}")
