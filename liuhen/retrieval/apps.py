"""档案利用 — who may look at an archived case file, for what, until when."""
from django.apps import AppConfig


class RetrievalConfig(AppConfig):
    name = "liuhen.retrieval"
    label = "retrieval"
    verbose_name = "档案利用"

    def ready(self):
        from liuhen.archive.classes import register_classifier
        from liuhen.footage.selectors import register_case_narrowing
        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions
        from liuhen.media.purge import register_blob_user

        from . import ledger_checks, selectors, vocabulary

        register_read_actions(*vocabulary.READ_ACTIONS)
        for object_type, checker in ledger_checks.checkers().items():
            register_subject(object_type, checker)
        register_classifier(selectors.classifier)  # the archivist's 公开属性 in the package and the 卷内目录
        register_blob_user(selectors.copy_blobs)  # a watermarked copy handed over is never purged
        register_case_narrowing(selectors.footage_in_scope)  # under a 调用单: only the clips it names play
