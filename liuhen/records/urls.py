from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("new/<int:case_pk>/", views.new_record, name="new"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/edit/", views.edit_record, name="edit"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/other-signature/", views.other_signature, name="other_signature"),
    path("<int:pk>/void/", views.void, name="void"),
    path("<int:pk>/supplement/", views.supplement, name="supplement"),
    path("supplements/<int:pk>/", views.supplement_download, name="supplement_download"),
    path("<int:pk>/proof/", views.proof, name="proof"),
    path("signatures/<int:pk>/confirm/", views.confirm_refusal, name="confirm_refusal"),
    path("attachments/<int:pk>/", views.download, name="download"),
    path("signatures/<int:pk>/mark/", views.signature_mark, name="signature_mark"),
]
