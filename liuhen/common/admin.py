"""Django admin for configuration only, with every administrative action in the ledger (SPEC §9)."""
from django.contrib import admin
from django.db import router, transaction

from liuhen.ledger import services as ledger


class LedgeredAdmin(admin.ModelAdmin):
    """Admin changes are appended to the ledger within the admin's own transaction; nothing is
    deleted through the admin (deactivate instead).

    Django runs the add and change forms (changeform_view) in a transaction; the other views that
    write (the change list's actions, a user's password form) must be wrapped as well, or the
    ledger refuses the entry after the change is saved.
    """

    def _ledger(self, request, obj, action, message):
        # The object is named by its type and id (in the event's object): never by str(obj),
        # which for a person is their name. A user's login name is kept, as staff logins are.
        detail = {"message": str(message)[:1000]}
        if hasattr(obj, "get_username"):
            detail["username"] = obj.get_username()
        ledger.append(action, actor=request.user, object_type=obj._meta.label_lower, object_id=obj.pk,
                      detail=detail)

    def log_addition(self, request, obj, message):
        self._ledger(request, obj, "admin.add", message)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._ledger(request, obj, "admin.change", message)
        return super().log_change(request, obj, message)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().changelist_view(request, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False
