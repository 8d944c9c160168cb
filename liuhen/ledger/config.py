from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

_algo: list[str] = []  # the checked value, read once per process: every append() asks for it


def hash_algo() -> str:
    """Leaf and node hashing: "sha256" (RFC 6962, the default) or "sm3" (GB/T 32905)."""
    if _algo:
        return _algo[0]
    algo = getattr(settings, "LIUHEN_LEDGER_HASH", "sha256")
    if algo not in ("sha256", "sm3"):
        raise ValueError(f"LIUHEN_LEDGER_HASH must be sha256 or sm3, not {algo!r}")
    _algo.append(algo)
    return algo


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting == "LIUHEN_LEDGER_HASH":  # tests switch it (override_settings)
        _algo.clear()
