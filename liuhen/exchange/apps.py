"""数据交换（对接平台接口）."""
from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "liuhen.exchange"
    label = "exchange"
    verbose_name = "数据交换（对接平台接口）"

    def ready(self):
        from django.core import checks

        from liuhen.ledger.subjects import register_subject, state_checker
        from liuhen.ledger.vocabulary import register_read_actions

        from . import models, targets, vocabulary

        checks.register(targets.check)  # LIUHEN_PUSH_URL, LIUHEN_PUSH_TARGETS (liuhen.exchange.E001-E003, W001)

        register_read_actions(*vocabulary.READ_ACTIONS)
        for model in (models.ApiClient, models.ApiClientRevocation, models.ReceivedOfficer, models.PushBatch,
                      models.PushAttempt):
            register_subject(model.ledger_object_type,
                             state_checker(model, codes=vocabulary.STATE_CODES[model.ledger_object_type]))
