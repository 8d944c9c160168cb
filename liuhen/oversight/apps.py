"""执法监督."""
from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "liuhen.oversight"
    label = "oversight"
    verbose_name = "执法监督"

    def ready(self):
        from liuhen.cases.pages import register_case_page, register_case_part

        from . import case_part, signals

        signals.connect()
        register_case_page(case_part.context)
        register_case_part("oversight/case_clocks.html")
