"""归档：归档信息包与四性检测."""
from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "liuhen.archive"
    label = "archive"
    verbose_name = "归档"

    def ready(self):
        from liuhen.ledger.vocabulary import register_read_actions

        from . import parts, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        parts.register()
