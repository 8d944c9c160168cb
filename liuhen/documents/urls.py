from django.urls import path

from . import staff_views, views

app_name = "documents"

urlpatterns: list = [
    path("record/<int:pk>/print/", views.record_print, name="record_print"),
    path("record/<int:pk>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("record/<int:pk>/draft.docx", views.draft_docx, name="draft_docx"),
    path("case/<int:pk>/print/", views.case_print, name="case_print"),
    path("record/<int:pk>/issue/", staff_views.issue, name="issue"),
    path("issued/<int:pk>.pdf", staff_views.issued_pdf, name="issued_pdf"),
    path("issued/<int:pk>/revoke/", staff_views.revoke, name="revoke"),
    path("numbers/", staff_views.numbers, name="numbers"),
    path("numbers/<int:pk>/void/", staff_views.void, name="void_number"),
]
