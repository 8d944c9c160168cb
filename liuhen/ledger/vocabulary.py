"""The ledger's vocabulary (日志词汇): the actions the ledger itself writes, the read actions,
the shape of a logged event handed to the domain checks, and the stable codes of the ledger's own
findings and system checks.

Tests, auditors and the other apps match on these names and codes, never on messages.
"""
from typing import NamedTuple

# ---- actions the ledger writes itself -----------------------------------------------------------

EXPORT = "ledger.export"  # an offline bundle was exported (a read of the whole log)
KEY_ANNOUNCE = "ledger.key_announce"  # a signing key adopted: the first at the first checkpoint, then by rotation
CHECKPOINT_REFUSED = "ledger.checkpoint_refused"  # a checkpoint not published: inconsistent with the published one
VERIFIED = "ledger.verified"  # `liuhen verify` ran: its outcome, for the audit administrator's alerts

KEY_OBJECT_TYPE = "ledger_key"  # object type of KEY_ANNOUNCE events; object id = the key's 8-hex key id


# ---- read actions -------------------------------------------------------------------------------
# A read leaves a trace but changes nothing, so it may be appended outside a write transaction;
# a write's entry must commit with the write (services.append refuses it outside atomic()). The set
# is explicit, by full action name: an action is a read only because an app declared it one.

DEFAULT_READ_ACTIONS = frozenset({
    # Declared here so that nothing breaks before the apps declare their own in AppConfig.ready():
    "case.view",  # cases: a case page opened
    "record.view", "record.download",  # records: a record opened, an attachment downloaded
    "auth.login", "auth.logout", "auth.login_failed",  # accounts: sessions and failed logins
    "access.denied",  # web: a refused request
    EXPORT, VERIFIED,
})

_read_actions: set[str] = set(DEFAULT_READ_ACTIONS)


def register_read_actions(*actions: str) -> None:
    """Declare actions as reads (from an app's `ready()`): full names such as "case.export"."""
    for action in actions:
        if not isinstance(action, str) or "." not in action or "*" in action:
            raise ValueError(f"a read action is a full dotted action name, not {action!r}")
        _read_actions.add(action)


def read_actions() -> frozenset[str]:
    return frozenset(_read_actions)


def is_read(action: str) -> bool:
    return action in _read_actions


# ---- what a domain checker receives -------------------------------------------------------------

class LoggedEvent(NamedTuple):
    """One logged event about an object, as the domain checks receive it: its leaf index (None
    while it waits for the integrator), its entry id and the compact event. A tuple, so that
    checkers indexing ev[0], ev[1], ev[2] keep working."""

    seq: int | None
    entry_id: int
    event: dict


# ---- finding codes (liuhen verify) --------------------------------------------------------------
# Stable ids of the ledger's own findings, like Django's check ids. (ledger.E100, a row that cannot
# be read, is subjects.UNREADABLE_CODE.)

CHECKPOINT_SIGNATURE = "ledger.E010"  # a checkpoint row whose signature does not verify (forged, another key)
CHECKPOINT_COLUMNS = "ledger.E011"  # a checkpoint row's size/root columns differ from its signed body
CHECKPOINT_FORK = "ledger.E012"  # two signed roots for one size
PUBLISHED_SIGNATURE = "ledger.E013"  # the published checkpoint file does not verify
PUBLISHED_FORK = "ledger.E014"  # the published checkpoint contradicts a checkpoint row
ROOT_MISMATCH = "ledger.E015"  # the leaves do not give a signed root
UNANNOUNCED_KEY = "ledger.E016"  # a checkpoint signed by a key no logged announcement introduced
CHECKPOINT_ORIGIN = "ledger.E017"  # a checkpoint of another log (origin)
LEAF_GAP = "ledger.E020"  # leaf indexes missing: entries deleted
LEAF_ALTERED = "ledger.E021"  # a leaf's bytes no longer hash to its stored leaf hash
LEAF_NOT_EVENT = "ledger.E022"  # a leaf that is not a well-formed canonical event
LEAF_COLUMNS = "ledger.E023"  # an entry's index columns differ from its leaf
LEAF_REORDERED = "ledger.E024"  # a leaf moved to another index
LEAF_TILE_MISMATCH = "ledger.E025"  # a leaf hash that the stored tree does not hold
ENTRY_INSERTED = "ledger.E026"  # an entry neither in the tree nor queued for it
TRUNCATED = "ledger.E030"  # fewer leaves than a signed checkpoint
STATE_SIZE = "ledger.E031"  # the log state's size differs from the leaves
TILE_MISMATCH = "ledger.E040"  # a stored tile differs from what the leaves give
TILE_EXTRA = "ledger.E041"  # a stored tile the leaves do not give
HASH_MISMATCH = "ledger.E050"  # the log's recorded hash algorithm differs from this process's
IDENTITY_MISSING = "ledger.E051"  # a non-empty log with no recorded identity (hash, origin)

# ---- system check ids (manage.py check) ---------------------------------------------------------

CHECK_HASH = "liuhen.ledger.E001"  # LIUHEN_LEDGER_HASH differs from the log's
CHECK_ORIGIN = "liuhen.ledger.E002"  # LIUHEN_LOG_ORIGIN differs from the log's
CHECK_KEY = "liuhen.ledger.W003"  # the configured signature algorithm is not the announced key's
