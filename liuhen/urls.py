from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from liuhen.accounts.forms import LoginForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:mine", permanent=False)),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("account/", include("liuhen.accounts.urls")),
    path("audit/", include("liuhen.audit.urls")),
    path("cases/", include("liuhen.cases.urls")),
    path("records/", include("liuhen.records.urls")),
]

handler403 = "liuhen.web.views.permission_denied"
handler404 = "liuhen.web.views.page_not_found"
handler400 = "liuhen.web.views.bad_request"
handler500 = "liuhen.web.views.server_error"
