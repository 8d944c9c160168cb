from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_triggers(sender, using, **kwargs):
    from django.db import connections

    from .append_only import install_triggers

    install_triggers(connections[using])


class CommonConfig(AppConfig):
    name = "liuhen.common"
    label = "common"
    verbose_name = "公共"

    def ready(self):
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="liuhen-append-only-triggers")
