from django.urls import path

from . import views

app_name = "devices"

urlpatterns = [
    path("", views.device_list, name="list"),
    path("new/", views.device_add, name="add"),
    path("mine/", views.my_devices, name="mine"),
    path("<str:pk>/", views.device_detail, name="detail"),
    path("<str:pk>/edit/", views.device_change, name="change"),
    path("<str:pk>/signout/", views.device_signout, name="signout"),
    path("<str:pk>/return/", views.device_return, name="return"),
    path("<str:pk>/life/<str:kind>/", views.device_life, name="life"),
]
