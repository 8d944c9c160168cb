from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from liuhen.common import text

from .lockout import (address_locked_message, is_address_locked, is_locked, locked_message, reset_awaiting_release,
                      reset_pending_message)


class LoginForm(AuthenticationForm):
    """Says so when the account or the address is locked, or the account's password reset awaits the
    security administrator, instead of the generic wrong-password message.

    The user name may hold no control character (common.text); a password is at most 1 000
    characters (nobody types more; hashing megabytes is work an attacker would choose)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(text.single_line)
        self.fields["password"].validators.append(MaxLengthValidator(1000))

    def clean(self):
        username = self.cleaned_data.get("username")
        try:
            return super().clean()
        except forms.ValidationError:
            if username and is_locked(username):
                raise forms.ValidationError(locked_message(), code="locked") from None
            if is_address_locked():
                raise forms.ValidationError(address_locked_message(), code="locked") from None
            password = self.cleaned_data.get("password")
            if username and password and reset_awaiting_release(username, password):
                # Locked until the security administrator releases it: the login page shows the
                # message of a "locked" error as it is (registration/login.html).
                raise forms.ValidationError(reset_pending_message(), code="locked") from None
            raise
