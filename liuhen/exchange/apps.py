"""数据交换（对接平台接口）."""
from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "liuhen.exchange"
    label = "exchange"
    verbose_name = "数据交换（对接平台接口）"

    def ready(self):
        from liuhen.ledger.subjects import register_subject, state_checker
        from liuhen.ledger.vocabulary import register_read_actions

        from . import models, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        for model in (models.ApiClient, models.ApiClientRevocation, models.ReceivedOfficer, models.PushBatch,
                      models.PushAttempt):
            register_subject(model.ledger_object_type,
                             state_checker(model, codes=vocabulary.STATE_CODES[model.ledger_object_type]))
