"""公示 — what the agency publishes, reviewed, approved, on time, and never a person's private data."""
from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "liuhen.publicity"
    label = "publicity"
    verbose_name = "行政执法公示"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, notice, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        notice.register()
        for object_type, checker in ledger_checks.checkers().items():
            register_subject(object_type, checker)
