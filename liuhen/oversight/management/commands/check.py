"""`liuhen check [--json] [--verify] [--agency 简称] [--fail-on-findings]` — Django's system checks,
then the findings engine's full scan (问题扫描) of every case; `liuhen check --system [--deploy]
[--tag …]` runs only Django's system checks, as Django's own `check` command does.

The system checks run first in both forms: a bad setting stops the command with its error (exit 1)
before any case is read. The scan stores what changed (Finding / FindingEvent / Clock) and prints
each finding; a progress bar goes to stderr. With `--json` the last line of stdout is exactly one
JSON object {"findings": [{"code", "severity", "case", "stage", "article", "message", "fix"}, …]}.

`--verify` also runs `liuhen verify` (the whole log and every app's checker) and adds its findings
(their own codes, e.g. records.E003; case "" — a verify finding is about a row or the log, not a
case's conduct); they are not stored as case findings. Verify runs are not stored anywhere, so the
scan does not include them unless asked: a full verify reads the whole log, far longer than a scan.

Exit status: 0 when the scan ran, even with findings (they are the output, not a failure);
`--fail-on-findings` exits 1 when an error-severity finding (or any verify finding) was found;
1 on a system-check error; 2 on a bad option.
"""
import json
import sys

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as SystemCheckCommand


class Command(SystemCheckCommand):
    help = ("运行系统检查，然后扫描全部案件，列出发现的问题（缺少记录、签字、音像记录、逾期等）。"
            "发现问题时退出码仍为 0（除非使用 --fail-on-findings）；--system 只运行 Django 系统检查。")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--system", action="store_true", help="只运行 Django 系统检查（Django 原有的 check 命令）")
        parser.add_argument("--json", action="store_true",
                            help='最后一行输出一个 JSON 对象 {"findings": [...]}')
        parser.add_argument("--verify", action="store_true", help="同时运行留痕核验（liuhen verify）并列出其发现")
        parser.add_argument("--agency", help="只扫描该机关（文号简称，如 本水）的案件")
        parser.add_argument("--fail-on-findings", action="store_true",
                            help="发现错误级问题时以退出码 1 结束（默认发现问题也返回 0）")
        parser.add_argument("--batch-size", type=int, default=2000, help="每批扫描的案件数（默认 2000）")

    def handle(self, *app_labels, **options):
        if options["system"] or options["list_tags"]:
            return super().handle(*app_labels, **options)
        if options["batch_size"] < 1:
            raise CommandError("--batch-size 须为正整数")
        # Django's system checks first: a bad setting stops here with its error (SystemCheckError).
        super().handle(*app_labels, **options)
        from django.db import connection

        from liuhen.oversight import engine
        from liuhen.oversight.finding_models import Finding

        if Finding._meta.db_table not in connection.introspection.table_names():
            self.stderr.write("数据库尚未建立或未迁移（请先运行 liuhen migrate），跳过问题扫描。")
            if options["json"]:
                self.stdout.write(json.dumps({"findings": []}, ensure_ascii=False))
            return
        agency = None
        if options["agency"]:
            from liuhen.accounts.models import Agency

            agency = Agency.objects.filter(short_name=options["agency"]).first()
            if agency is None:
                raise CommandError(f"没有文号简称为“{options['agency']}”的机关")
        result = engine.scan(agency=agency, batch_size=options["batch_size"], progress=self._progress)
        self.stderr.write("")
        rows = [f.as_json() for f in result.findings]
        failed = any(f.severity == "error" for f in result.findings)
        if options["verify"]:
            from liuhen.ledger.verify import verify_log

            self.stderr.write("留痕核验中……")
            report = verify_log()
            for vf in report.findings:
                rows.append({"code": vf.code or f"ledger.{vf.kind}", "severity": "error", "case": "", "stage": "",
                             "article": "BX 13, LQ 29", "message": str(vf),
                             "fix": "核查该行或日志为何与记录不符，按安全管理制度处置"})
            failed = failed or bool(report.findings)
        if options["json"]:
            self.stdout.write(json.dumps({"findings": rows}, ensure_ascii=False))
        else:
            for r in rows:
                self.stdout.write(f"[{r['severity']} {r['code']}] {r['case']} {r['stage']} {r['message']}"
                                  f"（依据：{r['article']}；整改：{r['fix']}）")
            errors = sum(1 for r in rows if r["severity"] == "error")
            self.stdout.write(f"扫描 {result.cases} 件案件：{errors} 个错误、{len(rows) - errors} 个提示；"
                              f"本次新发现 {result.opened} 个、已整改 {result.resolved} 个。")
        if failed and options["fail_on_findings"]:
            raise SystemExit(1)

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        bar = "█" * filled + "·" * (width - filled)
        sys.stderr.write(f"\r问题扫描 [{bar}] {done}/{total}")
        sys.stderr.flush()
