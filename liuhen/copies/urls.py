from django.urls import path

from . import views

app_name = "copies"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/<int:case_pk>/", views.new_request, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/make/", views.make, name="make"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/handover/", views.handover, name="handover"),
]
