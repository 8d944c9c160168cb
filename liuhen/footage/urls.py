from django.urls import path

from . import playback, upload_views, views

app_name = "footage"

urlpatterns = [
    path("", views.holding, name="holding"),
    # The browser upload (上传音像记录: upload_views.py, through the resumable API); before the
    # item routes, whose <pk> would otherwise take "upload".
    path("upload/", upload_views.upload_page, name="upload"),
    # Looking at footage (playback.py): the list, an item's page, its bytes and its poster frame.
    path("list/", playback.footage_list, name="list"),
    path("<str:pk>/", playback.play, name="play"),
    path("<str:pk>/stream", playback.stream, name="stream"),
    path("<str:pk>/poster", playback.poster, name="poster"),
    path("<str:pk>/link/", views.link, name="link"),
    path("<str:pk>/mark/", views.mark, name="mark"),
]
