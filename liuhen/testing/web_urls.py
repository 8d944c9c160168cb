"""Liuhen's URLs plus one view that fails: for the test of the 500 page (handler500)."""
from django.urls import path

from liuhen.urls import handler400, handler403, handler404, handler500, urlpatterns as _urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [*_urlpatterns, path("boom/", boom)]
