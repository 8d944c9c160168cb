from django.urls import path

from . import views, volume_views

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("volume/<int:pk>/", volume_views.volume, name="volume"),
]
