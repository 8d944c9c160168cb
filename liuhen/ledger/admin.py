"""Django admin for configuration only, with every administrative action in the ledger (SPEC §9)."""
from django.contrib import admin
from django.db import router, transaction

from liuhen.ledger import services as ledger


class LedgeredAdmin(admin.ModelAdmin):
    """Admin changes are appended to the ledger within the admin's own transaction; nothing is
    deleted through the admin (deactivate instead).

    Django runs the add and change forms (changeform_view) in a transaction; the other views that
    write (the change list's actions, a user's password form) must be wrapped as well, or the
    ledger refuses the entry after the change is saved. Every write through the admin ends in
    log_addition or log_change (the change list's list_editable calls log_change per row), so those
    two are where the event — with the row's state — is appended. No admin here has an action that
    writes (deleting is refused); one that did would have to call log_change for each row it saved.
    """

    def _ledger(self, request, obj, action, message):
        # The object is named by its type and id (in the event's object): never by str(obj),
        # which for a person is their name. A user's login name is kept, as staff logins are.
        detail = {"message": str(message)[:1000]}
        if hasattr(obj, "get_username"):
            detail["username"] = obj.get_username()
        # One object type per model, the one its services use too (User → "user"), so that
        # verify reads the admin's events and the services' as one history. A model that declares
        # its state (ledger.subjects.LedgerState) has the digest of the row as saved logged with
        # the change: the last such digest is what `liuhen verify` holds the row to.
        model = type(obj)
        object_type = getattr(model, "ledger_object_type", "") or obj._meta.label_lower
        state = obj.ledger_digest() if getattr(model, "ledger_state_fields", ()) else ""
        ledger.append(action, actor=request.user, object_type=object_type, object_id=obj.pk,
                      content_sha256=state, detail=detail)

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
