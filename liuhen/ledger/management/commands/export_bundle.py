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
        self.stdout.write(self.style.SUCCESS(
            f"已导出：{summary['entries']} 个日志条目、{summary['checkpoints']} 个检查点、"
            f"{summary['content']} 份记录内容、{summary['blobs']} 个附件 → {path}\n"
            f"离线核验：python -m liuhen.ledger.core.bundle {path}"))
