from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("unit/", views.unit, name="unit"),
    path("unit/<str:pk>/<str:case_id>/", views.answer, name="answer"),
    path("<str:pk>/", views.round_detail, name="round"),
    path("<str:pk>/redraw/", views.redraw, name="redraw"),
    path("<str:pk>/close/", views.close, name="close"),
    path("<str:pk>/export.xlsx", views.export, name="export"),
    path("<str:pk>/files/<str:case_id>/", views.score, name="score"),
    path("<str:pk>/answers/<str:answer_id>/respond/", views.respond, name="respond"),
]
