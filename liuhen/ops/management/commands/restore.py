"""`liuhen restore DIR`: a backup made by `liuhen backup`, into an empty instance only."""
from django.core.management.base import BaseCommand, CommandError

from liuhen.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("把 `liuhen backup` 的备份恢复到一个空实例（空数据库、新的 LIUHEN_HOME、空的文件存储）；"
            "先核对清单中每个文件的哈希，目标实例不空时拒绝（退出码 2）。恢复后请运行 `liuhen verify`。")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录")

    def handle(self, directory, **opts):
        try:
            manifest = restore(directory, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from exc
        except OSError as exc:  # the store or the disk failing midway (StorageError is an OSError)
            raise CommandError(f"恢复失败（目标实例可能已写入一部分：请清空后重试）：{exc}") from exc
        log = manifest["log"]
        self.stdout.write(self.style.SUCCESS(
            f"已从 {directory} 恢复：日志规模 {log['size'] if log else 0}（备份于 {manifest['created_at']}）。"
            "请运行 `liuhen verify`，并让见证方核对检查点。"))
