from django.urls import path

from . import views, volume_views

app_name = "archive"
urlpatterns = [
    path("", views.index, name="index"),
    path("volume/<int:pk>/", volume_views.volume, name="volume"),
    path("shelf/<int:year>/", views.shelf, name="shelf"),
    path("shelf/<int:year>/<str:kind>/", views.shelf, name="shelf_kind"),
    path("case/<int:pk>/supplement/", views.add_supplement, name="supplement_add"),
    path("supplement/<int:pk>/file/", views.supplement_file, name="supplement_file"),
    path("imported/", views.imported, name="imported"),
    path("imported/<int:pk>/", views.imported_detail, name="imported_detail"),
    path("imported/file/<int:pk>/", views.imported_file, name="imported_file"),
]
