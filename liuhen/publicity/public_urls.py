"""The public portal (/public/, no login): 事前公开, 事中公示 (the certificate lookup), 事后公开.
A number in a URL (公示编号 `2026-0001`) is the entry's for good."""
from django.urls import path

from . import public_views as views

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("agency/", views.agency_info, name="agency"),
    path("matters/", views.matters, name="matters"),
    path("matters/<str:number>/", views.matter, name="matter"),
    path("officers/", views.officers, name="officers"),
    path("channels/", views.channels, name="channels"),
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("benchmarks/<str:number>/", views.benchmark, name="benchmark"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<str:number>/", views.decision, name="decision"),
    path("decisions/<str:number>/comment/", views.comment, name="comment"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<int:year>/", views.statistics_year, name="statistics_year"),
    path("verify/", views.verify, name="verify"),
]
