"""案卷评查."""
from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "liuhen.evaluation"
    label = "evaluation"
    verbose_name = "案卷评查"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.Round.ledger_object_type, ledger_checks.check_round)
        register_subject(models.Score.ledger_object_type, ledger_checks.check_score)
        register_subject(models.Answer.ledger_object_type, ledger_checks.check_answer)
        register_subject(models.Response.ledger_object_type, ledger_checks.check_response)
        register_subject(models.RoundClose.ledger_object_type, ledger_checks.check_close)
