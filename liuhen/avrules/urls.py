from django.urls import path

from . import supervision_views, views

app_name = "avrules"

urlpatterns = [
    path("trips/", views.field_trips, name="trips"),
    path("records/<int:pk>/link/", views.link_to_record, name="link_record"),
    path("records/<int:pk>/interruption/", views.interruption, name="interruption"),
    path("supervision/", supervision_views.supervision, name="supervision"),
    path("supervision/list/", supervision_views.supervision_list, name="supervision_list"),
]
