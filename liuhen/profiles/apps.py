"""机关执法规则配置."""
from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "liuhen.profiles"
    label = "profiles"
    verbose_name = "机关执法规则配置"
