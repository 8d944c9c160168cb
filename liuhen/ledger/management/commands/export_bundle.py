"""`liuhen export_bundle DIR`: everything an auditor needs to verify offline (see core/bundle.py)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liuhen.ledger.exports import export_bundle


class Command(BaseCommand):
    help = "导出可离线核验的证据包：日志条目、检查点、公钥、记录内容和附件。"

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, directory, **opts):
        path = Path(directory)
        if path.exists() and any(path.iterdir()):
            raise CommandError(f"目录 {path} 不为空。")
        summary = export_bundle(path)
        for problem in summary["problems"]:
            self.stderr.write(f"缺失：{problem}")
        self.stdout.write(
            f"已导出：{summary['entries']} 个日志条目、{summary['checkpoints']} 个检查点、"
            f"{summary['content']} 份记录内容、{summary['blobs']} 个附件 → {path}\n"
            f"离线核验（审计方用自己事先保存的日志公钥文件，不要用证据包里的 log.vkey——"
            f"能改证据包的人也能换掉其中的公钥）：\n"
            f"  python -m liuhen.ledger.core.bundle {path} --vkey <审计方自己保存的公钥文件>")
        if summary["problems"]:
            raise CommandError(f"证据包不完整：{len(summary['problems'])} 个文件无法导出（见上）。")
