"""执法监督."""
from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "liuhen.oversight"
    label = "oversight"
    verbose_name = "执法监督"

    def ready(self):
        from liuhen.cases.pages import register_case_page, register_case_part

        from . import case_part, notices, signals

        signals.connect()
        register_case_page(case_part.context)
        register_case_part("oversight/case_clocks.html")
        # 我的待办 is the first page of everyone who works cases (issue 15 item 5: to-do lists on their home page).
        from liuhen.accounts.views import register_first_page

        register_first_page(first_page)
        notices.register()  # the pages' read actions, the notice marks' checker, LIUHEN_TODO_DUE_DAYS' check


def first_page(user):
    from django.urls import reverse

    from .selectors import works_cases

    return reverse("oversight:todo") if works_cases(user) else None
