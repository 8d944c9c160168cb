"""The log's identity (日志身份): its hash algorithm and origin, fixed by the first write, and the
signing key announced in the log. See models.LogIdentity.

Every process checks its configuration against the stored identity before it writes: `append()`
once per process and database (after the check's transaction commits), the integrator at every
integration under the log's lock. A mismatch is refused with both names in the error — SM3 leaves
in a SHA-256 tree would never verify again, and a checkpoint under another origin is another log's.
"""
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from .config import hash_algo
from .models import LogIdentity


class LedgerConfigError(RuntimeError):
    """This process's ledger configuration contradicts the log it would write to."""


def configured_origin() -> str:
    from django.conf import settings

    return getattr(settings, "LIUHEN_LOG_ORIGIN", "liuhen.local/ledger")


def stored() -> LogIdentity | None:
    return LogIdentity.objects.filter(pk=1).first()


def hash_mismatch(stored_algo: str, configured: str) -> str:
    return (f"本日志的哈希算法为 {stored_algo}（记录于数据库），本进程却配置了 LIUHEN_LEDGER_HASH={configured}："
            f"拒绝写入，否则 {configured} 的叶子会混入 {stored_algo} 的树，永远无法核验。"
            f"请把 LIUHEN_LEDGER_HASH 设回 {stored_algo}。"
            f"(the log's hash is {stored_algo}; this process is configured with {configured})")


def origin_mismatch(stored_origin: str, configured: str) -> str:
    return (f"本日志的名称（origin）为 {stored_origin!r}，本进程却配置了 LIUHEN_LOG_ORIGIN={configured!r}："
            f"拒绝写入。请把 LIUHEN_LOG_ORIGIN 设回 {stored_origin!r}。"
            f"(the log's origin is {stored_origin!r}; this process is configured with {configured!r})")


def _create(algo: str, origin: str) -> LogIdentity:
    """The first write fixes the identity. Two first writers racing: the row's primary key lets
    one insert win; the other reads what it wrote (on PostgreSQL after waiting for its commit)."""
    LogIdentity.objects.bulk_create([LogIdentity(pk=1, hash_algo=algo, origin=origin)], ignore_conflicts=True)
    return LogIdentity.objects.get(pk=1)


def ensure(check_origin: bool = True) -> LogIdentity:
    """The stored identity (created from this process's configuration if there is none yet), or
    LedgerConfigError if this process is configured otherwise. Call inside the write's transaction."""
    algo, origin = hash_algo(), configured_origin()
    identity = stored() or _create(algo, origin)
    if identity.hash_algo != algo:
        raise LedgerConfigError(hash_mismatch(identity.hash_algo, algo))
    if check_origin and identity.origin != origin:
        raise LedgerConfigError(origin_mismatch(identity.origin, origin))
    return identity


# (database alias, database name, hash) that this process checked against the stored identity and
# whose check committed. The identity never changes once set, so one check per process suffices.
_checked: set[tuple] = set()


def check_append(conn=None) -> None:
    """Before append() writes a leaf hashed with this process's algorithm: is it the log's?
    `conn`: the default connection's wrapper, when the caller holds it already."""
    conn = conn or connection
    key = (conn.alias, conn.settings_dict["NAME"], hash_algo())
    if key in _checked:
        return
    if LogIdentity._meta.db_table not in _tables():
        # Mid-migration (an app's data migration logging rows before ledger 0003 ran): the
        # migration records the identity from the leaves written so far.
        return
    found = stored()
    ensure(check_origin=False)  # the origin is the signer's concern (storage), not a leaf's
    if found is not None:
        # Remembered only when the row was there already: one this write created is gone again
        # if the write rolls back, and the next write must check again.
        _checked.add(key)


def _tables() -> list[str]:
    with connection.cursor() as cur:
        return connection.introspection.table_names(cur)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    # Tests switch hash, home or database: check again.
    if setting in ("LIUHEN_LEDGER_HASH", "LIUHEN_LOG_ORIGIN", "LIUHEN_HOME", "DATABASES"):
        _checked.clear()


def forget() -> None:
    """Check again at the next append (after the ledger's tables were emptied, in tests)."""
    _checked.clear()
