"""Seeded random sampling (随机抽样) that anyone can run again: the one piece behind the inspections
app's 抽检 (LW-D 14) and the evaluation app's 案卷评查 rounds.

- **Keys** are the population's row ids (integers). The population's digest is the SHA-256 of the
  keys in ascending order, written in decimal and joined by "\\n": whoever re-derives the population
  later sees at once whether it is still the same.
- **Sample.** Each key is ranked by HMAC-SHA256(key = the 16-byte seed, message = the key in
  decimal); the n keys of lowest rank (ties, which do not happen, by key) are the sample, in rank
  order. Without the seed nobody can foresee the sample; with it everybody gets the same one, and it
  does not depend on the order the keys were read in.
"""
import dataclasses
import hashlib
import hmac
import secrets

SEED_BYTES = 16


def new_seed() -> str:
    """A fresh seed: 16 random bytes from the operating system, in hex (32 characters)."""
    return secrets.token_hex(SEED_BYTES)


def is_seed(value) -> bool:
    """Whether `value` is a seed as `draw` takes it: 16 bytes written as 32 hex digits."""
    if not isinstance(value, str) or len(value) != 2 * SEED_BYTES:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def keys_digest(keys) -> str:
    """The population's digest: SHA-256 of its keys ascending, in decimal, joined by newlines."""
    return hashlib.sha256("\n".join(str(k) for k in sorted(keys)).encode("ascii")).hexdigest()


def rank(seed: str, key: int) -> str:
    return hmac.new(bytes.fromhex(seed), str(key).encode("ascii"), hashlib.sha256).hexdigest()


def draw(seed: str, keys, n: int) -> list[int]:
    """The n keys of `keys` of lowest HMAC rank under `seed`, in rank order."""
    return [k for _, k in sorted((rank(seed, k), k) for k in keys)[:n]]


@dataclasses.dataclass(frozen=True)
class Drawn:
    """One draw: the seed used, the population's size and digest, and the sample in rank order."""

    seed: str
    population_size: int
    population_digest: str
    sample: list


def sample(keys, n: int, seed: str | None = None) -> Drawn:
    """Draw `n` of the population `keys` under `seed` (a fresh one when None): everything a round
    records so that anybody can draw the same sample again."""
    keys = list(keys)
    seed = new_seed() if seed is None else seed
    return Drawn(seed=seed, population_size=len(keys), population_digest=keys_digest(keys),
                 sample=draw(seed, keys, n))
