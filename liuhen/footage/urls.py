from django.urls import path

from . import views

app_name = "footage"

urlpatterns = [
    path("", views.holding, name="holding"),
    path("<str:pk>/link/", views.link, name="link"),
    path("<str:pk>/mark/", views.mark, name="mark"),
]
