"""The WSGI entry (gunicorn liuhen.wsgi). Before it serves, it runs Django's system checks, which
management commands run and a WSGI server does not: a configuration the checks call an error (a
ledger hash or origin other than the log's, a bad LIUHEN_AV_RULES…) stops the worker at start with
what is wrong, instead of serving under rules nobody set."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuhen.settings")
application = get_wsgi_application()


def _refuse_bad_configuration() -> None:
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [m for m in checks.run_checks() if m.is_serious() and not m.is_silenced()]
    if errors:
        raise ImproperlyConfigured("配置有误，拒绝启动：\n" + "\n".join(f"{m.id}: {m.msg}" for m in errors))


_refuse_bad_configuration()
