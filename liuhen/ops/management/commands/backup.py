"""`liuhen backup DIR`: the database, every stored file, the keys and the published checkpoint."""
from django.core.management.base import BaseCommand, CommandError

from liuhen.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = ("备份本实例到一个新目录：数据库（PostgreSQL：pg_dump 自定义格式；SQLite：在线备份）、"
            "全部存储文件及其 SHA-256 清单、密钥目录、已发布的检查点，以及带哈希的清单 manifest.json。")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="备份目录（须不存在或为空）")

    def handle(self, directory, **opts):
        try:
            manifest = backup(directory, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=exc.returncode) from exc
        except OSError as exc:  # the store or the disk failing midway (StorageError is an OSError)
            raise CommandError(f"备份失败（备份目录不完整，请删除后重试）：{exc}") from exc
        log = manifest["log"]
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {directory}：日志规模 {log['size'] if log else 0}，存储文件 {manifest['blobs']} 个。"))
