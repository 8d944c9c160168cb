from django.apps import AppConfig


class OpsConfig(AppConfig):
    """运维 — backups of a whole instance and their restore (`liuhen backup`, `liuhen restore`)."""

    name = "liuhen.ops"
    label = "ops"
    verbose_name = "运维"
