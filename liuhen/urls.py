from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from liuhen.web import views as web_views
from liuhen.web.api import api

urlpatterns = [
    path("", web_views.home, name="home"),
    path("login/", web_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),  # the JSON API (liuhen/web/api.py): docs at /api/docs
    path("account/", include("liuhen.accounts.urls")),
    path("archive/", include("liuhen.archive.urls")),  # 档案: 待归档, 待接收, shelves, imported packages
    path("audit/", include("liuhen.audit.urls")),
    path("av/", include("liuhen.avrules.urls")),
    path("cases/", include("liuhen.cases.urls")),
    path("copies/", include("liuhen.copies.urls")),
    path("devices/", include("liuhen.devices.urls")),
    path("documents/", include("liuhen.documents.urls")),
    path("v/", include("liuhen.documents.public_urls")),  # 扫码验真: the public verification page (no login)
    path("evaluation/", include("liuhen.evaluation.urls")),
    path("footage/", include("liuhen.footage.urls")),
    path("inspections/", include("liuhen.inspections.urls")),
    path("legalreview/", include("liuhen.legalreview.urls")),
    path("execution/", include("liuhen.execution.urls")),
    path("property/", include("liuhen.caseproperty.urls")),
    path("oversight/", include("liuhen.oversight.urls")),
    path("profiles/", include("liuhen.profiles.urls")),
    path("public/", include("liuhen.publicity.public_urls")),  # 行政执法公示: the public portal (no login)
    path("publicity/", include("liuhen.publicity.urls")),  # 公示: drafts, review, approval, withdrawal
    path("records/", include("liuhen.records.urls")),
    path("retrieval/", include("liuhen.retrieval.urls")),  # 档案利用: 调用单, approvals, watermarked copies
    path("retention/", include("liuhen.retention.urls")),
    path("workdays/", include("liuhen.workdays.urls")),
]

handler403 = "liuhen.web.views.permission_denied"
handler404 = "liuhen.web.views.page_not_found"
handler400 = "liuhen.web.views.bad_request"
handler500 = "liuhen.web.views.server_error"
