"""The staff pages of 公示 (/publicity/): the workbench, drafts, review and approval, entries."""
from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    path("", views.index, name="index"),
    path("draft/<int:case_pk>/", views.draft, name="draft"),
    path("exempt/<int:case_pk>/", views.exempt, name="exempt"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/redact/", views.add_redaction, name="redact"),
    path("versions/<int:pk>/review/", views.review, name="review"),
    path("versions/<int:pk>/approve/", views.approve, name="approve"),
    path("entries/<str:number>/", views.entry, name="entry"),
    path("entries/<str:number>/revise/", views.revise, name="revise"),
    path("entries/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("entries/<str:number>/remove/", views.remove_early, name="remove"),
    path("comments/<int:pk>/reply/", views.reply, name="reply"),
    path("new/<str:kind>/", views.new, name="new"),
    path("statistics/<int:year>/", views.statistics, name="statistics"),
    path("export.<str:fmt>", views.export, name="export"),
]
