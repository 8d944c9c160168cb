"""`liuhen workdays` — the working-day calendar (工作日历) for scripts and operators.

    liuhen workdays add DATE N           the N-th working day after DATE (YYYY-MM-DD), or `unknown`
    liuhen workdays load FILE [--reason …] [--as USERNAME]   load a year's schedule file
    liuhen workdays show YEAR            its holidays and adjusted working weekends, or 未知
    liuhen workdays years                the known years and where each comes from

Bad input: a Chinese message, exit 2, nothing written. `add` exits 0 with `unknown` when a year it
needs is not known: that is an answer, not an error."""
import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError

from liuhen.accounts.selectors import person_named
from liuhen.common.cli import ChineseCommand, ChineseParser, fail, looked_up
from liuhen.workdays import calendar, selectors, services

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(text: str, what: str = "日期") -> datetime.date:
    if not _DATE.match(text or ""):
        raise fail(f"{what}“{text}”无效：应为 YYYY-MM-DD，如 2026-02-13。")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise fail(f"{what}“{text}”不是存在的日期。") from None


def _year(text: str) -> int:
    if not (text or "").isdigit() or not 1 <= int(text) <= 9998:
        raise fail(f"年度“{text}”无效：应为四位数字的年份，如 2026。")
    return int(text)


class Command(ChineseCommand):
    help = "工作日历：按国务院放假安排计算工作日，载入、查看放假安排。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{add,load,show,years}", parser_class=ChineseParser)
        add = sub.add_parser("add", help="DATE 之后第 N 个工作日（第 1 个工作日为 DATE 之后的第一个工作日）")
        add.add_argument("date", help="起算日期 YYYY-MM-DD")
        add.add_argument("n", help="工作日数（非负整数）")
        load = sub.add_parser("load", help="载入一年的放假安排文件（格式见 docs/workdays.md）")
        load.add_argument("file", help="放假安排文件（YAML）")
        load.add_argument("--reason", default="", help="说明（如：国务院办公厅发布新年度通知）")
        load.add_argument("--as", dest="as_user", metavar="USERNAME", help="以该人员身份操作（默认：系统）")
        show = sub.add_parser("show", help="某年的放假安排和调休上班日")
        show.add_argument("year", help="年度，如 2026")
        sub.add_parser("years", help="已知的年度及其来源")

    def handle(self, *args, action=None, **opts):
        if not action:
            raise fail("请给出操作：add、load、show 或 years。")
        getattr(self, "_" + action)(**opts)

    def _add(self, date, n, **_):
        start = _date(date, "起算日期")
        if not re.fullmatch(r"\d{1,5}", n or ""):
            raise fail(f"工作日数“{n}”无效：应为非负整数，如 10。")
        due = calendar.add_working_days(start, int(n))
        self.stdout.write(due.isoformat() if due is not None else "unknown")

    def _load(self, file, reason="", as_user=None, **_):
        actor = looked_up(person_named, as_user, "操作人") if as_user else None
        try:
            row = services.load_file(actor, file, reason=reason)
        except OSError as exc:
            raise fail(f"无法读取文件“{file}”：{exc.strerror or exc}") from None
        except ValidationError as exc:
            raise fail("放假安排文件未载入：\n" + "\n".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise fail(str(exc) or "无权进行该操作。") from None
        self.stdout.write(f"已载入 {row.year} 年放假安排：{row.notice}（{row.number}），"
                          f"放假 {len(row.holidays)} 段，调休上班 {len(row.workdays)} 天。")

    def _show(self, year, **_):
        y = _year(year)
        view = selectors.year_view(y)
        if view is None:
            self.stdout.write(f"{y} 年：未知（尚未载入国务院办公厅的放假安排，工作日期限无法计算）")
            return
        self.stdout.write(f"{y} 年：{view.source_label}，全年工作日 {view.working_days} 天")
        self.stdout.write("放假：")
        for h in view.holidays:
            self.stdout.write(f"  {h.name}\t{h.start.isoformat()}（{selectors.weekday(h.start)}）至 "
                              f"{h.end.isoformat()}（{selectors.weekday(h.end)}），共 {h.days} 天")
        self.stdout.write("调休上班：" + ("" if view.workdays else "无"))
        for d in view.workdays:
            self.stdout.write(f"  {d.isoformat()}（{selectors.weekday(d)}）")

    def _years(self, **_):
        for item in selectors.known_years():
            row = item["schedule"]
            where = f"{row.notice}（{row.number}）" if row is not None else "chinesecalendar 库"
            self.stdout.write(f"{item['year']}\t{where}")
