"""The staff pages of 公示 (/publicity/): the workbench, drafts, review and approval, entries."""
from django.urls import path  # noqa: F401

app_name = "publicity"
urlpatterns: list = []
