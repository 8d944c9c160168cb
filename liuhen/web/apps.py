from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "liuhen.web"
    label = "web"
    verbose_name = "界面"

    def ready(self):
        from django.contrib import admin

        from liuhen.ledger.vocabulary import register_read_actions

        # The configuration admin's index, the 系统管理员's first page, with the reminders the other
        # first pages show (a year's holiday notice not loaded: liuhen.workdays).
        admin.site.index_template = "web/admin_index.html"

        # A request the web edge refused (too large, a failed CSRF check): nothing was written.
        register_read_actions("web.refused")
