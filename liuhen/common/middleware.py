from . import context, memo


class RequestContextMiddleware:
    """Gives each web request an id that every ledger entry it causes will carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context.RequestContext(ip=request.META.get("REMOTE_ADDR", ""), channel="web")
        token = context.bind(ctx)
        request.liuhen_request_id = ctx.request_id
        try:
            if request.method in ("GET", "HEAD"):  # a reading request: what it asks twice, asked once
                with memo.reading():
                    response = self.get_response(request)
            else:
                response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-Id"] = ctx.request_id
        return response
