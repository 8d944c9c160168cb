from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.index, name="index"),
    path("todo/", views.todo_page, name="todo"),
    path("notices/", views.notices_page, name="notices"),
    path("notices/seen/", views.notices_seen, name="notices_seen"),
    path("cases/", views.cases_page, name="cases"),
    path("stats/", views.stats_page, name="stats"),
    path("export/findings.xlsx", views.export_findings, name="export_findings"),
    path("export/stats.xlsx", views.export_stats, name="export_stats"),
]
