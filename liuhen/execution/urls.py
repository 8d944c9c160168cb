from django.urls import path

from . import views

app_name = "execution"

urlpatterns: list = [
    path("case/<int:pk>/pay/", views.record_payment, name="pay"),
    path("case/<int:pk>/defer/", views.request_deferral, name="defer"),
    path("deferral/<int:pk>/decide/", views.decide_deferral, name="decide"),
    path("payment/<int:pk>/voucher/", views.voucher, name="voucher"),
]
