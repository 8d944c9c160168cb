from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("notices/", views.notices, name="notices"),
    path("item/<str:pk>/", views.item_page, name="item"),
    path("case/<str:pk>/", views.case_page, name="case"),
]
