"""执行 — carrying out the decision (行政处罚法 66-73; 行政强制法 35-40, 53-54)."""
from django.apps import AppConfig


class ExecutionConfig(AppConfig):
    name = "liuhen.execution"
    label = "execution"
    verbose_name = "执行"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions
        from liuhen.media.purge import register_blob_user

        from . import ledger_checks, parts, selectors, vocabulary

        parts.register()
        register_blob_user(selectors.voucher_blobs)  # a payment's proof is never purged while it stands
        register_read_actions(*vocabulary.READ_ACTIONS)
        for object_type, checker in ledger_checks.checkers().items():
            register_subject(object_type, checker)
