"""The public portal (/public/, no login): 事前公开, 事中公示 (the certificate lookup), 事后公开."""
from django.urls import path  # noqa: F401

app_name = "public"
urlpatterns: list = []
