"""证据复制（移送检察院、法院）."""
from django.apps import AppConfig


class CopiesConfig(AppConfig):
    name = "liuhen.copies"
    label = "copies"
    verbose_name = "证据复制（移送检察院、法院）"

    def ready(self):
        from django.core import checks

        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, vocabulary
        from .checks import copies_setting

        checks.register(copies_setting)
        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.CopyRequest.ledger_object_type, ledger_checks.check_request)
        register_subject(models.CopyApproval.ledger_object_type, ledger_checks.check_approval)
        register_subject(models.CopyPackage.ledger_object_type, ledger_checks.check_package)
        register_subject(models.CopyHandover.ledger_object_type, ledger_checks.check_handover)
        # 申请证据复制 beside each case an item is linked to, on the footage player (BX 11: originals
        # are viewed there, copies leave the agency only through a request).
        from liuhen.footage.playback import register_case_action

        from . import case_part
        from .views import play_page_action

        register_case_action(play_page_action)
        case_part.register()  # the case page's 证据复制 part (cases/pages.py)
