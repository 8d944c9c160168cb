from django.urls import path

from . import views

app_name = "footage"

urlpatterns = [
    path("", views.holding, name="holding"),
    path("<str:pk>/link/", views.link, name="link"),
    path("<str:pk>/mark/", views.mark, name="mark"),
]

# The browser upload (上传音像记录: footage/upload_views.py, through the resumable API).
from . import upload_views  # noqa: E402

urlpatterns += [
    path("upload/", upload_views.upload_page, name="upload"),
]
