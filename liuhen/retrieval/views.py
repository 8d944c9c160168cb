"""档案利用 pages: my retrieval requests (我的调阅申请), the approver's list, a granted file."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def index(request):
    return render(request, "retrieval/index.html", {})
