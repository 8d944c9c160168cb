from django.urls import path

from . import views

app_name = "retrieval"
urlpatterns = [
    path("", views.index, name="index"),
]
