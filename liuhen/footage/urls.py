from django.urls import path

from . import playback, views

app_name = "footage"

urlpatterns = [
    path("", views.holding, name="holding"),
    # Looking at footage (playback.py): the list, an item's page, its bytes and its poster frame.
    path("list/", playback.footage_list, name="list"),
    path("<str:pk>/", playback.play, name="play"),
    path("<str:pk>/stream", playback.stream, name="stream"),
    path("<str:pk>/poster", playback.poster, name="poster"),
    path("<str:pk>/link/", views.link, name="link"),
    path("<str:pk>/mark/", views.mark, name="mark"),
]
