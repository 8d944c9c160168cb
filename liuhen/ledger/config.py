from django.conf import settings


def hash_algo() -> str:
    """Leaf and node hashing: "sha256" (RFC 6962, the default) or "sm3" (GB/T 32905)."""
    algo = getattr(settings, "LIUHEN_LEDGER_HASH", "sha256")
    if algo not in ("sha256", "sm3"):
        raise ValueError(f"LIUHEN_LEDGER_HASH must be sha256 or sm3, not {algo!r}")
    return algo
