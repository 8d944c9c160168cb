"""System checks (`liuhen check`, and before every management command): this process's ledger
configuration against the log in the database. A process configured with another hash or origin
would be refused at its first write; the check says so before it starts."""
from django.core import checks
from django.db import DatabaseError, connection

from . import vocabulary as vocab


def ledger_configuration(app_configs=None, **kwargs):
    from .config import hash_algo
    from .identity import configured_origin, hash_mismatch, origin_mismatch
    from .models import LogIdentity

    try:
        if LogIdentity._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet
        identity = LogIdentity.objects.filter(pk=1).first()
    except DatabaseError:  # no database to ask (yet): nothing to compare with
        return []
    if identity is None:
        return []
    errors = []
    try:
        algo = hash_algo()
    except ValueError as exc:
        return [checks.Error(str(exc), id=vocab.CHECK_HASH)]
    if identity.hash_algo != algo:
        errors.append(checks.Error(hash_mismatch(identity.hash_algo, algo), id=vocab.CHECK_HASH,
                                   hint=f"LIUHEN_LEDGER_HASH={identity.hash_algo}"))
    if identity.origin != configured_origin():
        errors.append(checks.Error(origin_mismatch(identity.origin, configured_origin()), id=vocab.CHECK_ORIGIN,
                                   hint=f"LIUHEN_LOG_ORIGIN={identity.origin}"))
    from django.conf import settings

    kind = getattr(settings, "LIUHEN_LEDGER_SIGNATURE", "ed25519")
    if identity.signature_algo and kind != identity.signature_algo:
        errors.append(checks.Warning(
            f"本日志公告的签名密钥为 {identity.signature_algo}，本进程配置了 LIUHEN_LEDGER_SIGNATURE={kind}："
            f"积分器将拒绝签名，直到运行 `liuhen rotate_ledger_key` 公告新密钥。",
            id=vocab.CHECK_KEY, hint="liuhen rotate_ledger_key"))
    return errors
