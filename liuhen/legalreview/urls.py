from django.urls import path

from . import views

app_name = "legalreview"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("stats/", views.stats, name="stats"),
    path("qualifications/", views.qualifications, name="qualifications"),
    path("<int:pk>/", views.submission, name="submission"),
    path("<int:pk>/request/", views.request_materials, name="request"),
    path("<int:pk>/extend/", views.request_extension, name="extend"),
    path("<int:pk>/review/", views.review, name="review"),
    path("extension/<int:pk>/decide/", views.decide_extension, name="decide_extension"),
    path("case/<int:pk>/assess/", views.assess, name="assess"),
    path("case/<int:pk>/submit/", views.submit, name="submit"),
    path("request/<int:pk>/answer/", views.answer, name="answer"),
    path("review/<int:pk>/disagree/", views.disagree, name="disagree"),
    path("disagreement/<int:pk>/rule/", views.rule, name="rule"),
]
