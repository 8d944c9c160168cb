"""The seeded sample (liuhen.common.sampling) draws exactly what the inspections app drew before it
moved here (the figures below were computed with liuhen/inspections/sampling.py of commit 78178f9),
and inspections still draws through it: the same seed gives the same sample, for good."""
import hashlib
import hmac

from liuhen.common import sampling
from liuhen.inspections import sampling as inspections_sampling

SEED = "00112233445566778899aabbccddeeff"


def test_the_draws_of_the_old_inspections_module_are_unchanged():
    assert sampling.draw(SEED, range(1, 101), 7) == [12, 40, 64, 99, 46, 44, 18]
    assert sampling.draw("ffeeddccbbaa99887766554433221100", [10, 20, 30, 40, 50], 5) == [20, 10, 40, 30, 50]
    assert sampling.keys_digest([5, 3, 9, 1]) == "29a487b79dbb8ba963127d64cc5db90345e13fc3c947782e6f888e5e65daa459"


def test_inspections_draws_through_the_common_module():
    assert inspections_sampling.draw is sampling.draw
    assert inspections_sampling.keys_digest is sampling.keys_digest


def test_the_rank_is_hmac_sha256_of_the_decimal_key_under_the_seed():
    expected = hmac.new(bytes.fromhex(SEED), b"42", hashlib.sha256).hexdigest()
    assert sampling.rank(SEED, 42) == expected
    keys = list(range(1, 31))
    ranks = sorted((sampling.rank(SEED, k), k) for k in keys)
    assert sampling.draw(SEED, reversed(keys), 10) == [k for _, k in ranks[:10]]  # order of reading is irrelevant


def test_sample_records_seed_population_and_sample():
    drawn = sampling.sample([3, 1, 2, 7], 2, SEED)
    assert drawn.seed == SEED and drawn.population_size == 4
    assert drawn.population_digest == hashlib.sha256(b"1\n2\n3\n7").hexdigest()
    assert drawn.sample == sampling.draw(SEED, [1, 2, 3, 7], 2)
    fresh = sampling.sample(range(50), 5)
    assert sampling.is_seed(fresh.seed) and fresh.sample == sampling.draw(fresh.seed, range(50), 5)
    assert fresh.seed != sampling.sample(range(50), 5).seed


def test_is_seed_refuses_what_draw_could_not_use():
    assert sampling.is_seed(SEED)
    assert not sampling.is_seed("xyz")
    assert not sampling.is_seed("0011")  # too short
    assert not sampling.is_seed("g" * 32)
    assert not sampling.is_seed(None)
