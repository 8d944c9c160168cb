"""涉案财物 — seized and confiscated property (LQ 13(四); 行政强制法 24-28)."""
from django.apps import AppConfig


class CasePropertyConfig(AppConfig):
    name = "liuhen.caseproperty"
    label = "caseproperty"
    verbose_name = "涉案财物"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions
        from liuhen.media.purge import register_blob_user
        from liuhen.records.duedates import register_due_source

        from . import ledger_checks, parts, selectors, vocabulary

        parts.register()
        register_blob_user(selectors.photo_blobs)  # an item's photo and a handling's proof are never purged
        register_read_actions(*vocabulary.READ_ACTIONS)
        for object_type, checker in ledger_checks.checkers().items():
            register_subject(object_type, checker)
        # 行政强制法 25: the term of each 查封、扣押, on the oversight clocks and findings.
        register_due_source("caseproperty", selectors.seizure_due_dates,
                            content_codes={selectors.SEIZURE_CODE, selectors.EXTENSION_CODE})
