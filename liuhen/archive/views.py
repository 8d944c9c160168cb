"""The archive's pages (档案室): 待归档, 待接收, the shelves by year and kind, imported packages."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    return render(request, "archive/index.html", {})
