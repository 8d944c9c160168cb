from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_catalog(sender, using, **kwargs):
    from .catalog_sync import sync_catalog

    sync_catalog(using)


class RecordsConfig(AppConfig):
    name = "liuhen.records"
    label = "records"
    verbose_name = "执法记录"

    def ready(self):
        post_migrate.connect(_sync_catalog, sender=self, dispatch_uid="liuhen-record-catalog")
        from liuhen.ledger.subjects import register_exporter, register_subject

        from . import ledger_checks, models

        register_subject("record", ledger_checks.check)
        # The record types an agency profile may name (the catalog's codes).
        from liuhen.profiles.loader import register_record_types

        register_record_types(_record_type_codes)
        register_subject(models.RecordType.ledger_object_type, ledger_checks.check_record_types)
        from liuhen.ledger.vocabulary import register_read_actions

        from .vocabulary import READ_ACTIONS, TYPE_VERSION_OBJECT

        register_read_actions(*READ_ACTIONS)

        register_subject(TYPE_VERSION_OBJECT, ledger_checks.check_type_versions)
        register_exporter(ledger_checks.export_content)

        from django.core import checks as django_checks

        from . import summary

        django_checks.register(summary.check_columns)
        from . import gates  # the record requirements as a stage gate, the case pages' record parts

        gates.register()
        # A signature's handwritten mark (签名笔迹) is kept as long as its signature: never purged.
        from liuhen.media.purge import register_blob_user

        register_blob_user(_mark_blobs)



def _record_type_codes() -> dict[str, str]:
    # The catalog (synced into RecordType after every migrate): no query, so the system check and
    # a profile checked before migrate see the same names.
    from .catalog import CATALOG

    return {t["code"]: t["name"] for t in CATALOG}


def _mark_blobs(shas: set[str]) -> set[str]:
    from .models import Signature

    return set(Signature.objects.filter(mark_id__in=shas).values_list("mark_id", flat=True))
