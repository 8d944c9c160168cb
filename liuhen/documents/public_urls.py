"""The public pages of the documents app, mounted at /v/ (liuhen/urls.py): the verification page
of an issued document, the link the QR code on every sealed PDF carries (services.verify_url).
Any path under /v/ is this view's: a malformed token gets the public 404 page, not the staff one."""
from django.urls import path

from . import public_views

urlpatterns = [
    path("<path:token>", public_views.verify, name="document_verify"),
]
