"""`liuhen purge [--dry-run] [--as-of DATE] [--json]` — 音像资料清理 (LW-D 11-12, LQ 29).

Every footage file is listed with its class, its retention date and why it is or is not purged. A
run (a) announces (公告) the files whose retention ends within notice_days, (b) removes (移除,
recoverable) those expired, unheld, not linked to an open case, not long-term and announced
notice_days before, (c) purges the bytes of files removed more than recovery_days ago — the purge
event committed first, then the bytes deleted — and deletes again bytes of purged files still
present. `--dry-run` writes nothing. With `--json` the last line is one JSON object
{"files": [{"sha256", "class", "retention_until", "purge", "held", "open_case", "reason", …}]}.
Exit 0: done; 1: a deletion failed (the purge event stays; the bytes are retried next run);
2: bad arguments (nothing done)."""
import datetime
import json as json_mod
import sys

from django.utils import timezone

from liuhen.common.cli import ChineseCommand, fail
from liuhen.retention import policy, services

STAGE_LABELS = {
    policy.KEPT: "保存", policy.ANNOUNCE: "公告", policy.ANNOUNCED: "已公告", policy.REMOVE: "移除",
    policy.REMOVED: "已移除（可恢复）", policy.PURGE: "清除", policy.PURGED: "已清除",
}
DRY_LABELS = {policy.ANNOUNCE: "将公告", policy.REMOVE: "将移除", policy.PURGE: "将清除"}


class Command(ChineseCommand):
    help = "音像资料清理：按保存期限公告、移除（可恢复）并清除到期的音像资料；列出每个文件清理与否的理由。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出将要做的，不作任何改动（也不公告）")
        parser.add_argument("--as-of", dest="as_of", metavar="DATE",
                            help="按该日期（YYYY-MM-DD）评估；不加 --dry-run 时不能晚于今天")
        parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")

    def handle(self, *args, dry_run=False, as_of=None, json=False, **opts):
        when = None
        if as_of:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise fail(f"日期“{as_of}”无效，应为 YYYY-MM-DD，如 2027-06-30。") from None
            today = timezone.localdate()
            if day > today and not dry_run:
                raise fail(f"不能按将来的日期（{day}）执行清理：那会移除尚未到期的音像资料。预览请加 --dry-run。")
            # A past or future day is evaluated at its end; today at this moment.
            when = timezone.now() if day == today else timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(23, 59, 59)))
        try:
            run = services.run_purge(when, dry_run=dry_run)
        except services.FutureAsOf as exc:
            raise fail(str(exc)) from None
        labels = DRY_LABELS if dry_run else {}
        for vd in run.verdicts:
            stage = labels.get(vd.stage) or STAGE_LABELS[vd.stage]
            if vd.item_id in run.done:
                stage = {"announced": "本次公告", "removed": "本次移除", "purged": "本次清除"}[run.done[vd.item_id]]
            until = vd.retention_until.isoformat() if vd.retention_until else "—"
            cols = [stage, vd.sha256[:12], run.names[vd.item_id], policy.CLASS_LABELS[vd.retention_class],
                    f"保存至 {until}"] + (["法律保全"] if vd.held else []) + [vd.reason]
            self.stdout.write("\t".join(cols))
        done = list(run.done.values())
        head = "预览（未作任何改动）" if dry_run else "清理完成"
        self.stdout.write(f"{head}：共 {len(run.verdicts)} 个文件；公告 {done.count('announced')}，移除 "
                          f"{done.count('removed')}，清除 {done.count('purged')}，删除存储文件 {len(run.deleted)}。")
        for message in run.failures:
            self.stderr.write(message)
        if json:
            self.stdout.write(json_mod.dumps(run.as_json(), ensure_ascii=False))
        if run.failures:
            sys.exit(1)
