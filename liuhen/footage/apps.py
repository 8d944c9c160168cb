from django.apps import AppConfig


class FootageConfig(AppConfig):
    name = "liuhen.footage"
    label = "footage"
    verbose_name = "音像记录"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import case_part, ledger_checks, models, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.Ingest.ledger_object_type, ledger_checks.check_ingest)
        register_subject(models.FootageItem.ledger_object_type, ledger_checks.check_item)
        register_subject(models.FootageLink.ledger_object_type, ledger_checks.check_link)
        register_subject(models.FootageUnlink.ledger_object_type, ledger_checks.check_unlink)
        register_subject(models.FootageMark.ledger_object_type, ledger_checks.check_mark)
        register_subject(models.Upload.ledger_object_type, ledger_checks.check_upload)
        register_subject(models.UploadEnd.ledger_object_type, ledger_checks.check_upload_end)
        case_part.register()  # the case page's footage part (cases/pages.py)
