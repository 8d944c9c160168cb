"""Stored bytes, known only by their SHA-256. The media app knows nothing of cases."""
from django.db import models

from liuhen.common.append_only import AppendOnlyModel


class Blob(AppendOnlyModel):
    """A stored file's content: written once under its hash, never changed."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "存储文件"

    def __str__(self):
        return self.sha256
