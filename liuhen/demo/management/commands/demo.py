"""`liuhen demo`: load the demo water bureau once, then print the demo logins."""
import unicodedata

from django.core.management.base import BaseCommand, CommandError

from liuhen.demo.builder import DEMO_PASSWORD, build_demo, demo_logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "加载演示数据（已有执法机关时不再加载），并列出演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--supervising-agency", action="store_true", dest="supervising",
                            help="另加一个上级监督机关（市司法局）及其监督人员，可查阅水务局的案件（只读）")

    def handle(self, *args, supervising=False, **options):
        try:
            summary = self.summary = build_demo()  # kept for a caller holding the command (the tests' demo)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if summary:
            from liuhen.ledger.storage import integrate_all

            integrate_all()  # the demo's events in the tree, under a signed checkpoint
            self.stdout.write(
                f"已加载演示数据：{summary['agency']}，{summary['units']}个科室，{summary['users']}名人员，"
                f"{summary['cases']}件案件（已归档{summary['archived']}件），{summary['records']}份记录，"
                f"{summary.get('devices', 0)}台音像记录设备，{summary.get('footage', 0)}个音像记录。")
        else:
            self.stdout.write("已有执法机关数据，未重复加载演示数据。")
        rows = demo_logins()
        if not rows:
            self.stdout.write("数据库中没有演示账号。")
            return
        table = [("用户名", "姓名", "角色", "科室")] + rows
        widths = [max(_width(row[i]) for row in table) + 2 for i in range(4)]
        for row in table:
            self.stdout.write("".join(_pad(cell, w) for cell, w in zip(row, widths)).rstrip())
        if supervising:
            self._supervising()
        self.stdout.write(f"密码（全部演示账号）：{DEMO_PASSWORD}")
        self.stdout.write("打开 http://127.0.0.1:8000/ 登录")

    def _supervising(self):
        from liuhen.demo.agencies import SUPERVISOR, add_supervising_agency

        try:
            added = add_supervising_agency()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        if added:
            from liuhen.ledger.storage import integrate_all

            integrate_all()
            self.stdout.write(f"已加载上级监督机关：{added['agency']}监督{added['supervised']}。")
        self.stdout.write(f"上级监督（只读查阅水务局案件）：{SUPERVISOR[0]}  {SUPERVISOR[1]}  监督人员")
