from django.urls import path

from . import views

app_name = "caseproperty"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("case/<int:pk>/register/", views.register, name="register"),
    path("case/<int:pk>/request/", views.request_handling, name="request"),
    path("item/<int:pk>/custody/", views.custody, name="custody"),
    path("item/<int:pk>/photo/", views.photo, name="photo"),
    path("request/<int:pk>/decide/", views.decide, name="decide"),
    path("request/<int:pk>/handle/", views.handle, name="handle"),
    path("handling/<int:pk>/voucher/", views.voucher, name="voucher"),
]
