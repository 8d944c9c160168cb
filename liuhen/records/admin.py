from django import forms
from django.contrib import admin

from liuhen.ledger.admin import LedgeredAdmin

from . import rules
from .models import RecordType

# Only the catalog is configuration. Records, versions, signatures, attachments and voids are
# deliberately not registered: nobody edits or deletes them, through the admin or otherwise (SPEC §4).


class RecordTypeForm(forms.ModelForm):
    """A record type's JSON checked before it is saved: a broken schema would make every new record
    of the type fail, a broken rule would let records be complete without who must sign."""

    class Meta:
        model = RecordType
        fields = ("code", "name", "stage", "fields", "signature_rule", "position", "active")

    def clean_fields(self):
        value = self.cleaned_data.get("fields")
        errors = rules.field_errors(value)
        if errors:
            raise forms.ValidationError(errors)
        return value

    def clean_signature_rule(self):
        value = self.cleaned_data.get("signature_rule")
        errors = rules.rule_errors(value)
        if errors:
            raise forms.ValidationError(errors)
        return value


@admin.register(RecordType)
class RecordTypeAdmin(LedgeredAdmin):
    form = RecordTypeForm
    list_display = ("name", "code", "stage", "active")
    list_filter = ("stage", "active")

    def save_model(self, request, obj, form, change):
        """A changed schema or rule becomes the type's next version: records made from now on pin it,
        records made before keep theirs (catalog_sync.new_type_version, logged)."""
        from .catalog_sync import new_type_version

        super().save_model(request, obj, form, change)
        new_type_version(obj, actor=request.user)
