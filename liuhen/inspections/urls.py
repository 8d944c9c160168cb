from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.export, name="export"),
    path("<str:pk>/", views.round_detail, name="round"),
    path("<str:pk>/redraw/", views.redraw, name="redraw"),
    path("<str:pk>/close/", views.close, name="close"),
    path("<str:pk>/items/<str:key>/", views.item, name="item"),
]
