"""Model fields for personal information: encrypted at rest (SPEC §9)."""
from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores `crypto.encrypt(value)`; Python code only ever sees the plaintext.

    It cannot be searched (every ciphertext is different): pair it with a blind-index column.
    """

    description = "Text encrypted at rest (AES-256-GCM or SM4-GCM)"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)
