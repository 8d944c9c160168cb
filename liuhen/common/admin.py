"""Django admin for configuration only, with every administrative action in the ledger (SPEC §9)."""
from django.contrib import admin

from liuhen.ledger import services as ledger


class LedgeredAdmin(admin.ModelAdmin):
    """Admin changes are appended to the ledger within the admin's own transaction; nothing is
    deleted through the admin (deactivate instead)."""

    def _ledger(self, request, obj, action, message):
        ledger.append(action, actor=request.user, object_type=obj._meta.label_lower, object_id=obj.pk,
                      detail={"message": str(message)[:1000], "object": str(obj)[:200]})

    def log_addition(self, request, obj, message):
        self._ledger(request, obj, "admin.add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._ledger(request, obj, "admin.change", message)
        return super().log_change(request, obj, message)

    def has_delete_permission(self, request, obj=None):
        return False
