"""执法监督."""
from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "liuhen.oversight"
    label = "oversight"
    verbose_name = "执法监督"

    def ready(self):
        from . import notices

        notices.register()  # the pages' read actions, the notice marks' checker, LIUHEN_TODO_DUE_DAYS' check
