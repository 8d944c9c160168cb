from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .lockout import address_locked_message, is_address_locked, is_locked, locked_message


class LoginForm(AuthenticationForm):
    """Says so when the account or the address is locked, instead of the generic wrong-password message."""

    def clean(self):
        username = self.cleaned_data.get("username")
        try:
            return super().clean()
        except forms.ValidationError:
            if username and is_locked(username):
                raise forms.ValidationError(locked_message(), code="locked") from None
            if is_address_locked():
                raise forms.ValidationError(address_locked_message(), code="locked") from None
            raise
