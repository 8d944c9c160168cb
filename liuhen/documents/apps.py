"""Documents (执法文书) a party can hold and anyone can verify: records rendered to PDF and DOCX
from the agency profile's templates, numbered (文号), sealed (PAdES e-seal), verifiable by QR code."""
from urllib.parse import urlsplit

from django.apps import AppConfig


def public_url_check(app_configs=None, **kwargs):
    """LIUHEN_PUBLIC_URL, the root of the verification links printed on every sealed document (as a
    QR code): empty, or an http(s) URL without query or fragment. A wrong value would put a dead
    link on paper that cannot be recalled."""
    from django.conf import settings
    from django.core import checks

    from . import vocabulary as v

    value = getattr(settings, "LIUHEN_PUBLIC_URL", "")
    if not value:
        return []
    parts = urlsplit(value) if isinstance(value, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return [checks.Error(f"LIUHEN_PUBLIC_URL 无效：{value!r}",
                             hint="应为 http:// 或 https:// 开头的网址（如 https://zf.example.gov.cn），不含查询参数。",
                             id=v.CHECK_PUBLIC_URL)]
    return []


class DocumentsConfig(AppConfig):
    name = "liuhen.documents"
    label = "documents"
    verbose_name = "执法文书"

    def ready(self):
        from django.core import checks

        from liuhen.ledger.subjects import register_subject
        from liuhen.ledger.vocabulary import register_read_actions

        from . import ledger_checks, models, parts, vocabulary

        checks.register(public_url_check)
        parts.register()
        register_read_actions(*vocabulary.READ_ACTIONS)
        register_subject(models.DocumentNumber.ledger_object_type, ledger_checks.check_number)
        register_subject(models.NumberVoid.ledger_object_type, ledger_checks.check_void)
        register_subject(models.IssuedDocument.ledger_object_type, ledger_checks.check_issued)
        register_subject(models.DocumentWithdrawal.ledger_object_type, ledger_checks.check_withdrawal)
