"""重大执法决定法制审核 (LW-L; 行政处罚法 58)."""
from django.apps import AppConfig


class LegalReviewConfig(AppConfig):
    name = "liuhen.legalreview"
    label = "legalreview"
    verbose_name = "法制审核"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import gates, ledger_checks, parts, vocabulary

        gates.register()
        parts.register()
        register_read_actions(*vocabulary.READ_ACTIONS)
        for object_type, checker in ledger_checks.checkers().items():
            register_subject(object_type, checker)
