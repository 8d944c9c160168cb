"""Error pages in Chinese; a refused access is itself traced in the ledger (ARCHITECTURE)."""
from django.shortcuts import render

from liuhen.ledger import services as ledger


def permission_denied(request, exception=None):
    user = request.user if request.user.is_authenticated else None
    ledger.append("access.denied", actor=user, object_type="path", object_id=request.path[:64],
                  detail={"method": request.method, "message": str(exception or "")[:200]})
    message = str(exception) if exception and str(exception) else "您没有权限执行此操作。"
    return render(request, "web/error.html", {"title": "无权访问", "message": message}, status=403)


def page_not_found(request, exception=None):
    return render(request, "web/error.html", {"title": "页面不存在", "message": "您访问的页面或记录不存在。"},
                  status=404)


def bad_request(request, exception=None):
    return render(request, "web/error.html", {"title": "请求无效", "message": "请求内容无效，请返回重试。"},
                  status=400)
