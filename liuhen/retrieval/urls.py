from django.urls import path

from . import views

app_name = "retrieval"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/copy/", views.make_copy, name="copy"),
    path("<int:pk>/record/<int:record_id>/pdf/", views.record_pdf, name="record_pdf"),
    path("item/<int:pk>/download/", views.download, name="download"),
    path("classes/", views.find_classes, name="find_classes"),
    path("case/<int:pk>/classes/", views.classes, name="classes"),
    path("case/<int:pk>/classes/<int:record_id>/", views.classify, name="classify"),
    path("case/<int:pk>/secret/", views.secret, name="secret"),
]
