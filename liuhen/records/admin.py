from django.contrib import admin

from liuhen.ledger.admin import LedgeredAdmin

from .models import RecordType

# Only the catalog is configuration. Records, versions, signatures, attachments and voids are
# deliberately not registered: nobody edits or deletes them, through the admin or otherwise (SPEC §4).


@admin.register(RecordType)
class RecordTypeAdmin(LedgeredAdmin):
    list_display = ("name", "code", "stage", "active")
    list_filter = ("stage", "active")
