from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "liuhen.web"
    label = "web"
    verbose_name = "界面"

    def ready(self):
        from liuhen.ledger.vocabulary import register_read_actions

        # A request the web edge refused (too large, a failed CSRF check): nothing was written.
        register_read_actions("web.refused")
