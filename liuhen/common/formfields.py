"""Form fields the apps share."""
from django import forms
from django.core.exceptions import ValidationError


class IdsField(forms.Field):
    """Checked ids (a list of integers) — which are allowed is the service's to say. `invalid` is the
    Chinese message (and `code` its code) for a value that is not a list of ids."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, invalid: str, code: str, **kwargs):
        super().__init__(**kwargs)
        self.invalid, self.code = invalid, code

    def to_python(self, value):
        try:
            return [int(v) for v in value or ()]
        except (TypeError, ValueError):
            raise ValidationError(self.invalid, code=self.code) from None
