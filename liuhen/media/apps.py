from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "liuhen.media"
    label = "media"
    verbose_name = "文件存储"

    def ready(self):
        from liuhen.ledger.subjects import register_note, register_subject

        from . import checks, models

        # 清除: a purge row is held to the log like any other row (media.E002-E004).
        register_subject(models.BlobPurge.ledger_object_type, checks.check_purge)
        register_note(checks.purged_summary)
        from django.core.checks import register

        register(checks.store_settings_check)  # LIUHEN_S3_* (liuhen.media.E001-E003)
