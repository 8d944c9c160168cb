from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "liuhen.media"
    label = "media"
    verbose_name = "文件存储"
