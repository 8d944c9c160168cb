"""`liuhen evaluation …`: 案卷评查 rounds for scripts and auditors.

    liuhen evaluation list [--json]                     the rounds, with progress and grades
    liuhen evaluation show ROUND_ID [--json]            one round: sample, scores, answers (a JSON summary)
    liuhen evaluation open --as USERNAME --title T --from DATE --to DATE --size N
                           [--unit NAME] [--kind KIND] [--seed HEX] [--json]
                                                         open a round and draw its sample
    liuhen evaluation redraw ROUND_ID [--json]          draw the sample again from the recorded seed;
                                                         exit 0 if it matches, 1 if not
    liuhen evaluation close ROUND_ID --as USERNAME      close a round once every file is scored

Reads append an `evaluation.view` / `evaluation.redraw` read event (as the system, or with `--as`
as that person). Bad input: a Chinese message, exit code 2."""
import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, fail, looked_up
from liuhen.evaluation import selectors, services
from liuhen.evaluation.models import Round


def _date(value, label):
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise fail(f"{label}“{value}”不是有效的日期（应为 YYYY-MM-DD）。") from None


def summary_json(round_) -> dict:
    """A round as one JSON-able object: scope, seed, sample, each file's current score and answers."""
    files = selectors.files_of(round_)
    closing = services.RoundClose.objects.filter(round=round_).first()
    return {
        "id": round_.pk, "title": round_.title, "unit": round_.unit.name if round_.unit_id else None,
        "kind": round_.kind or None, "from": round_.period_from.isoformat(), "to": round_.period_to.isoformat(),
        "population_size": round_.population_size, "population_digest": round_.population_digest,
        "seed": round_.seed, "seed_given": round_.seed_given, "sample": round_.sample,
        "cards": sorted(round_.cards), "closed": closing is not None,
        "summary": services.summary(round_),
        "files": [{"position": f.position, "case": f.case.pk, "number": f.case.number,
                   "unit": f.case.unit.name, "card": round_.case_cards[str(f.case.pk)],
                   "score": None if f.score is None else {
                       "id": f.score.pk, "total": f.score.total, "grade": f.score.grade,
                       "hard_failed": f.score.hard_failed, "sections": f.score.sections,
                       "evaluator": f.score.evaluator.display_name,
                       "recorded_at": f.score.recorded_at.isoformat()},
                   "answers": [{"stance": a.stance, "corrected": bool(a.corrected),
                                "responses": len(a.response_rows)} for a in f.answers]}
                  for f in files]}


class Command(ChineseCommand):
    help = "案卷评查：列出、查看、组织、重新抽取核对、结束评查轮次。"

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份操作（默认：系统）")
        sub = parser.add_subparsers(dest="action", metavar="{list,show,open,redraw,close}")
        ls = sub.add_parser("list", help="列出评查轮次")
        ls.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        sh = sub.add_parser("show", help="查看一轮评查（样本、评分、反馈）")
        sh.add_argument("round_id")
        sh.add_argument("--json", action="store_true")
        op = sub.add_parser("open", help="组织评查并抽取案卷（须 --as 监督人员或机关负责人）")
        op.add_argument("--title", required=True)
        op.add_argument("--from", dest="period_from", required=True, help="归档日期起 YYYY-MM-DD")
        op.add_argument("--to", dest="period_to", required=True, help="归档日期止 YYYY-MM-DD")
        op.add_argument("--size", required=True, help="抽取数量")
        op.add_argument("--unit", default="", help="承办机构名称")
        op.add_argument("--kind", default="", help="执法类别代码（如 penalty）")
        op.add_argument("--seed", default=None, help="随机种子（32 位十六进制；默认由系统生成）")
        op.add_argument("--json", action="store_true")
        rd = sub.add_parser("redraw", help="按记载的随机种子重新抽取，核对样本")
        rd.add_argument("round_id")
        rd.add_argument("--json", action="store_true")
        cl = sub.add_parser("close", help="结束评查轮次（须 --as）")
        cl.add_argument("round_id")

    def handle(self, *args, action=None, as_user=None, **opts):
        actor = looked_up(person_named, as_user) if as_user else None
        if actor is not None and not services.may_see_rounds(actor):
            raise fail(f"{actor.display_name}不是监督人员、法制审核人员或机关负责人，不能查看案卷评查。")
        if action == "list":
            return self.list(actor, opts["json"])
        if action == "show":
            return self.show(actor, opts["round_id"], opts["json"])
        if action == "open":
            return self.open(actor, opts)
        if action == "redraw":
            return self.redraw(actor, opts["round_id"], opts["json"])
        if action == "close":
            return self.close(actor, opts["round_id"])
        raise fail("请指定操作：list、show、open、redraw 或 close（用法见 liuhen evaluation --help）。")

    def _round(self, actor, round_id) -> Round:
        rid = str(round_id).strip()
        round_ = Round.objects.filter(pk=int(rid)).first() if rid.isdigit() and len(rid) <= 18 else None
        if round_ is None or (actor is not None and round_.agency_id != actor.agency_id):
            raise fail(f"评查轮次“{round_id}”不存在。")
        return round_

    def _refused(self, exc):
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        return fail("；".join(messages))

    def list(self, actor, as_json):
        agency_ids = ([actor.agency_id] if actor is not None
                      else sorted(set(Round.objects.values_list("agency_id", flat=True))))
        rounds = [r for a in agency_ids for r in selectors.rounds_of(a)]
        if actor is not None:
            services.log_view(actor, page="rounds", channel="cli")
        if as_json:
            self.stdout.write(json.dumps({"rounds": [{
                "id": r.pk, "title": r.title, "unit": r.unit.name if r.unit_id else None, "kind": r.kind or None,
                "from": r.period_from.isoformat(), "to": r.period_to.isoformat(), "sample": r.sample,
                "population_size": r.population_size, "seed": r.seed, "scored": r.scored,
                "closed": r.close_row is not None} for r in rounds]}, ensure_ascii=False))
            return
        for r in rounds:
            self.stdout.write(f"{r.pk}\t{r.title}\t{r.unit.name if r.unit_id else '全部'}\t"
                              f"{r.period_from}～{r.period_to}\t已评 {r.scored}/{len(r.sample)}\t"
                              f"{'已结束' if r.close_row else '进行中'}")

    def show(self, actor, round_id, as_json):
        round_ = self._round(actor, round_id)
        services.log_view(actor, round_, channel="cli")
        data = summary_json(round_)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"第 {round_.pk} 轮 {round_.title}：样本 {len(round_.sample)}/{round_.population_size}，"
                          f"随机种子 {round_.seed}")
        for f in data["files"]:
            s = f["score"]
            self.stdout.write(f"  {f['position']}\t{f['number']}\t{f['unit']}\t"
                              + (f"{s['total']} 分 {s['grade']}" if s else "未评分"))

    def open(self, actor, opts):
        if actor is None:
            raise fail("组织评查须以监督人员或机关负责人的身份（--as USERNAME）。")
        size = str(opts["size"]).strip()
        if not size.isdigit() or len(size) > 6:
            raise fail(f"抽取数量“{opts['size']}”应为正整数。")
        unit = None
        if opts["unit"]:
            from liuhen.accounts.models import Unit

            unit = Unit.objects.filter(agency_id=actor.agency_id, name=opts["unit"]).first()
            if unit is None:
                raise fail(f"本机关没有名为“{opts['unit']}”的承办机构。")
        try:
            round_ = services.open_round(actor, title=opts["title"], period_from=_date(opts["period_from"], "归档日期起"),
                                         period_to=_date(opts["period_to"], "归档日期止"), size=int(size), unit=unit,
                                         kind=opts["kind"], seed=opts["seed"])
        except (ValidationError, PermissionDenied) as exc:
            raise self._refused(exc) from None
        self.stdout.write(f"已组织第 {round_.pk} 轮评查：从 {round_.population_size} 份中抽取 {len(round_.sample)} 份，"
                          f"随机种子 {round_.seed}。")
        if opts["json"]:
            self.stdout.write(json.dumps(summary_json(round_), ensure_ascii=False))

    def redraw(self, actor, round_id, as_json):
        round_ = self._round(actor, round_id)
        result = services.check_redraw(actor, round_, {"channel": "cli"})
        lines, summary = result.report(round_, "份")
        for line in lines:
            self.stdout.write(line)
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if not result.match:
            raise SystemExit(1)

    def close(self, actor, round_id):
        if actor is None:
            raise fail("结束评查须以监督人员或机关负责人的身份（--as USERNAME）。")
        round_ = self._round(actor, round_id)
        try:
            closing = services.close_round(actor, round_)
        except (ValidationError, PermissionDenied) as exc:
            raise self._refused(exc) from None
        self.stdout.write(f"第 {round_.pk} 轮评查已结束：{json.dumps(closing.summary, ensure_ascii=False)}")
