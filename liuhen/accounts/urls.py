from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol, name="otp_enrol"),
    path("otp/remove/", views.otp_remove, name="otp_remove"),
    path("sessions/end/", views.session_end, name="session_end"),
    path("people/<int:pk>/sessions/", views.person_sessions, name="person_sessions"),
]
