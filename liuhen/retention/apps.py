"""音像资料保存与清理."""
from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "liuhen.retention"
    label = "retention"
    verbose_name = "音像资料保存与清理"

    def ready(self):
        from django.core import checks

        from liuhen.footage import selectors as footage_selectors
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions
        from liuhen.media.purge import register_blob_user

        from . import ledger_checks, selectors, vocabulary
        from .checks import retention_setting

        checks.register(retention_setting)
        register_read_actions(*vocabulary.READ_ACTIONS)
        for object_type, checker in ledger_checks.CHECKERS.items():
            register_subject(object_type, checker)
        # The class, a hold and a notice shown wherever footage is listed, on its page and the case's;
        # a removed file no longer played or listed (footage's registries: footage knows no app above).
        footage_selectors.register_flag_source(selectors.flags)
        footage_selectors.register_unavailable(selectors.unavailable_reasons, selectors.removed_ids)
        # Bytes a record still needs are never purged (records sits below retention: read-only here).
        register_blob_user(record_blobs)
        from . import case_part

        case_part.register()  # the case page's 音像资料保存 card (cases/pages.py)


def record_blobs(shas: set[str]) -> set[str]:
    """Of `shas`, those a record's attachment (附件) or 补充材料 stores: kept as long as the record."""
    from liuhen.records.models import Attachment, SupplementFile

    used = set(Attachment.objects.filter(blob_id__in=shas).values_list("blob_id", flat=True))
    return used | set(SupplementFile.objects.filter(blob_id__in=shas).values_list("blob_id", flat=True))
