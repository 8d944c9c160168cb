"""The browser upload page (上传音像记录): an officer or the 设备管理员 chooses the device and files;
liuhen/footage/static/footage/upload.js sends each file through the same resumable API as a docking
station (/api/footage/, the session and CSRF instead of a token), so the pipeline, the attribution
and the confirmation are the ones of `liuhen ingest`. The person logged in is the uploader."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from liuhen.accounts.roles import Role
from liuhen.devices import selectors as devices
from liuhen.devices.models import Status

from . import uploads


def may_upload(user) -> bool:
    return user.is_active and (user.has_role(Role.OFFICER) or user.has_role(Role.DEVICE_ADMIN))


@login_required
@ensure_csrf_cookie
def upload_page(request):
    user = request.user
    if not may_upload(user):  # the 403 handler records the refusal
        raise PermissionDenied("只有执法人员或设备管理员可以上传音像记录。")
    rows = [d for d in devices.devices_of(user.agency_id) if d.status == Status.IN_USE]
    mine = next((d for d in rows if d.holder_signout is not None and d.holder_signout.officer_id == user.pk), None)
    return render(request, "footage/upload.html", {
        "devices": rows, "selected": mine, "chunk": uploads.chunk_max_bytes(),
    })
