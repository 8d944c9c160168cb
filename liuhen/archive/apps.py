"""归档：归档信息包与四性检测."""
from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "liuhen.archive"
    label = "archive"
    verbose_name = "归档"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions
        from liuhen.media.purge import register_blob_user

        from . import ledger_checks, parts, selectors, supplement_parts, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        parts.register()  # the 案卷 card on the case page
        supplement_parts.register()  # 归档后补充材料 on the case page
        register_blob_user(selectors.stored_blobs)  # a supplement's, an imported file's bytes are never purged
        for object_type, checker in ledger_checks.checkers().items():
            register_subject(object_type, checker)
