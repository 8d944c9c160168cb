from django.urls import path

from . import views

app_name = "documents"

urlpatterns: list = [
    path("record/<int:pk>/print/", views.record_print, name="record_print"),
    path("record/<int:pk>/draft.pdf", views.draft_pdf, name="draft_pdf"),
    path("record/<int:pk>/draft.docx", views.draft_docx, name="draft_docx"),
    path("case/<int:pk>/print/", views.case_print, name="case_print"),
]
