from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "liuhen.accounts"
    label = "accounts"
    verbose_name = "机构与人员"

    def ready(self):
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, signals, vocabulary  # noqa: F401

        register_read_actions(*vocabulary.READ_ACTIONS)
        # One checker per object type (register_subject keeps one): "user" checks roles and state.
        register_subject(models.User.ledger_object_type, ledger_checks.check_user)
        register_subject(models.Certificate.ledger_object_type, ledger_checks.check_certificate)
        register_subject(models.Agency.ledger_object_type, ledger_checks.check_agency)
        register_subject(models.Unit.ledger_object_type, ledger_checks.check_unit)
        register_subject(models.Supervision.ledger_object_type, ledger_checks.check_supervision)
        register_subject(models.SupervisionEnd.ledger_object_type, ledger_checks.check_supervision_end)
