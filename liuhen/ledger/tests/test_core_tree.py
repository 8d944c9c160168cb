"""ledger.core.tree: RFC 6962 / RFC 9162 Merkle tree heads, proof shapes, compact ranges, verifiers.

Checked against the published vectors in liuhen/ledger/tests/vectors/merkle (RFC 6962 8-leaf set,
transparency-dev probes, a real CT log, every proof of trees <= 8) and against the RFC's own
recursive definitions, re-implemented naively below. No database.

Vector conventions: `rfc6962_vectors.json` numbers inclusion leaves from 1 (`leaf`); we use its
0-based `leaf_index` (= leaf - 1). The other files are 0-based already.
"""
import base64
import functools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liuhen.ledger.core import tree
from liuhen.ledger.core.hashing import leaf_hash, node_hash
from liuhen.ledger.core.tree import (
    CompactRange,
    ProofError,
    complete_subtrees,
    consistency_proof,
    consistency_proof_length,
    consistency_ranges,
    empty_root,
    fold_right,
    inclusion_proof,
    inclusion_proof_length,
    inclusion_ranges,
    largest_power_of_two_below,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    roots_from_consistency_proof,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).resolve().parent / "vectors"  # copied in: see vectors/README.md
MERKLE = VECTORS / "merkle"


def _load(name):
    path = MERKLE / name
    if not path.is_file():
        raise FileNotFoundError(f"conformance vectors missing: {path} (liuhen/ledger/tests/vectors/)")
    return json.loads(path.read_text())


RFC = _load("rfc6962_vectors.json")
PROBES = _load("transparency_dev_probes.json")
ARGON = _load("real_ct_argon2020.json")
DERIVED = _load("derived_all_proofs_upto8.json")

H = bytes.fromhex
B64 = base64.b64decode
RFC_LEAVES = [leaf_hash(H(x)) for x in RFC["leaves_hex"]]
RFC_ROOTS = {int(k): H(v) for k, v in RFC["roots"].items()}


# ---- a naive reference: RFC 6962 §2.1 recursive definitions over a list of leaf hashes ----------


def _split(n):
    k = 1
    while 2 * k < n:
        k *= 2
    return k


def ref_mth(lh, algo="sha256"):
    if not lh:
        return empty_root(algo)
    if len(lh) == 1:
        return lh[0]
    k = _split(len(lh))
    return node_hash(ref_mth(lh[:k], algo), ref_mth(lh[k:], algo), algo)


def ref_path(m, lh):
    if len(lh) <= 1:
        return []
    k = _split(len(lh))
    if m < k:
        return ref_path(m, lh[:k]) + [ref_mth(lh[k:])]
    return ref_path(m - k, lh[k:]) + [ref_mth(lh[:k])]


def ref_subproof(m, lh, b):
    n = len(lh)
    if m == n:
        return [] if b else [ref_mth(lh)]
    k = _split(n)
    if m <= k:
        return ref_subproof(m, lh[:k], b) + [ref_mth(lh[k:])]
    return ref_subproof(m - k, lh[k:], False) + [ref_mth(lh[:k])]


# A fixed pool of leaves for the property tests, with a brute-force (but memoised) range hash.
POOL = [leaf_hash(b"liuhen-%d" % i) for i in range(2100)]
SM3_POOL = [leaf_hash(b"liuhen-%d" % i, "sm3") for i in range(300)]


@functools.lru_cache(maxsize=None)
def brute(start, end, algo="sha256"):
    """MTH(D[start:end]) by hashing the whole slice."""
    return root_from_leaf_hashes((POOL if algo == "sha256" else SM3_POOL)[start:end], algo)


@functools.lru_cache(maxsize=None)
def subtree_hash(height, index, algo="sha256"):
    return brute(index << height, (index + 1) << height, algo)


def flip(b, bit=0):
    return bytes([b[0] ^ (1 << bit)]) + b[1:]


# ---- hashing and roots ------------------------------------------------------------------------


def test_hasher_vectors_and_empty_root():
    assert empty_root() == H(RFC["empty_tree_hash"]) == root_from_leaf_hashes([]) == CompactRange().root()
    for v in RFC["hasher_vectors"]:
        if v["op"] == "empty_root":
            assert empty_root("sha256").hex() == v["want"]
        elif v["op"] == "leaf":
            assert leaf_hash(H(v["input_hex"])).hex() == v["want"]
        else:
            assert node_hash(H(v["left_hex"]), H(v["right_hex"])).hex() == v["want"]


@pytest.mark.parametrize("size", range(1, 9))
def test_rfc6962_roots(size):
    want = RFC_ROOTS[size]
    assert root_from_leaf_hashes(RFC_LEAVES[:size]) == want
    assert ref_mth(RFC_LEAVES[:size]) == want
    assert fold_right([subtree_hash_of(RFC_LEAVES, h, i) for h, i in complete_subtrees(0, size)]) == want
    assert DERIVED["roots"][str(size)] == want.hex()


def subtree_hash_of(lh, height, index):
    return ref_mth(lh[index << height:(index + 1) << height])


def test_fast_node_hash_matches_hashing_module():
    for algo in ("sha256", "sm3"):
        fast = tree._fast_node_hash(algo)
        for a, b in [(POOL[0], POOL[1]), (b"", b""), (b"N123", b"N456")]:
            assert fast(a, b) == node_hash(a, b, algo)


def test_unknown_algorithm_is_refused():
    with pytest.raises(ValueError):
        empty_root("md5")
    with pytest.raises(ValueError):
        CompactRange("sha1")


# ---- proof shapes -----------------------------------------------------------------------------


def test_largest_power_of_two_below():
    assert [largest_power_of_two_below(n) for n in range(2, 11)] == [1, 2, 2, 4, 4, 4, 4, 8, 8]
    assert largest_power_of_two_below(2**40) == 2**39
    assert largest_power_of_two_below(2**40 + 1) == 2**40
    for bad in (0, 1, -3):
        with pytest.raises(ValueError):
            largest_power_of_two_below(bad)


def test_inclusion_ranges_examples_and_errors():
    assert inclusion_ranges(0, 1) == []
    assert inclusion_ranges(0, 8) == [(1, 2), (2, 4), (4, 8)]
    assert inclusion_ranges(5, 8) == [(4, 5), (6, 8), (0, 4)]
    assert inclusion_ranges(2, 3) == [(0, 2)]
    assert inclusion_ranges(6, 7) == [(4, 6), (0, 4)]
    for index, size in [(0, 0), (1, 0), (1, 1), (-1, 5), (5, 5)]:
        with pytest.raises(ValueError):
            inclusion_ranges(index, size)
        with pytest.raises(ValueError):
            inclusion_proof_length(index, size)


def test_consistency_ranges_examples_and_policy():
    assert consistency_ranges(1, 1) == []
    assert consistency_ranges(7, 7) == []
    assert consistency_ranges(1, 8) == [(1, 2), (2, 4), (4, 8)]
    assert consistency_ranges(6, 8) == [(4, 6), (6, 8), (0, 4)]
    assert consistency_ranges(2, 5) == [(2, 4), (4, 5)]
    assert consistency_ranges(4, 8) == [(4, 8)]  # a power of two: the old root is implicit
    # Policy (RFC 9162, 0 < m): no proof from or between empty trees, nor backwards.
    for old, new in [(0, 0), (0, 1), (0, 5), (2, 1), (1, 0), (-1, 3)]:
        with pytest.raises(ValueError):
            consistency_ranges(old, new)
        with pytest.raises(ValueError):
            consistency_proof_length(old, new)


def test_complete_subtrees():
    assert complete_subtrees(0, 1) == [(0, 0)]
    assert complete_subtrees(0, 13) == [(3, 0), (2, 2), (0, 12)]
    assert complete_subtrees(4, 8) == [(2, 1)]
    assert complete_subtrees(8, 15) == [(2, 2), (1, 6), (0, 14)]
    assert complete_subtrees(6, 7) == [(0, 6)]
    assert complete_subtrees(2**32, 2**32 + 2**31 + 5) == [(31, 2), (2, 2**29 * 3), (0, 2**32 + 2**31 + 4)]
    assert complete_subtrees(2, 5) == [(1, 1), (0, 4)]  # aligned enough: MTH(D[2:5]) splits at 2
    for start, end in [(1, 4), (2, 7), (3, 3), (5, 4), (-1, 1), (4, 12)]:
        with pytest.raises(ValueError):
            complete_subtrees(start, end)
    with pytest.raises(ValueError):
        fold_right([])
    assert fold_right([POOL[7]]) == POOL[7]


def _check_range(start, end, algo="sha256"):
    got = fold_right([subtree_hash(h, i, algo) for h, i in complete_subtrees(start, end)], algo)
    assert got == brute(start, end, algo), (start, end)


@pytest.mark.parametrize("n", range(1, 66))
def test_shapes_match_the_rfc_recursion_exhaustively(n):
    """For every tree size <= 65: every inclusion and consistency proof built from the ranges equals
    the RFC's recursive PATH / PROOF, has the O(1) length, folds from complete subtrees, verifies,
    and is rejected after any single-hash mutation."""
    lh = POOL[:n]
    root = brute(0, n)
    assert root == ref_mth(lh)
    for m in range(n):
        ranges = inclusion_ranges(m, n)
        assert len(ranges) == inclusion_proof_length(m, n)
        proof = inclusion_proof(m, n, brute)
        assert proof == ref_path(m, lh)
        for s, e in ranges:
            _check_range(s, e)
        verify_inclusion(lh[m], m, n, proof, root)
        if n <= 20:
            for j in range(len(proof)):
                bad = proof[:j] + [flip(proof[j], j % 8)] + proof[j + 1:]
                with pytest.raises(ProofError):
                    verify_inclusion(lh[m], m, n, bad, root)
    for m in range(1, n + 1):
        ranges = consistency_ranges(m, n)
        assert len(ranges) == consistency_proof_length(m, n)
        proof = consistency_proof(m, n, brute)
        assert proof == ref_subproof(m, lh, True)
        for s, e in ranges:
            _check_range(s, e)
        verify_consistency(m, n, brute(0, m), root, proof)
        if n <= 20:
            for j in range(len(proof)):
                bad = proof[:j] + [flip(proof[j], j % 8)] + proof[j + 1:]
                with pytest.raises(ProofError):
                    verify_consistency(m, n, brute(0, m), root, bad)


# ---- the published vectors --------------------------------------------------------------------


@pytest.mark.parametrize("v", RFC["inclusion_proofs"], ids=lambda v: f"leaf{v['leaf']}-size{v['tree_size']}")
def test_rfc6962_inclusion_vectors(v):
    size, proof = v["tree_size"], [H(p) for p in v["proof"]]
    if v["leaf_index"] is None:  # leaf 0 / size 0 in the sources: no such proof
        with pytest.raises(ValueError):
            inclusion_ranges(v["leaf"] - 1, size)
        with pytest.raises(ProofError):
            verify_inclusion(RFC_LEAVES[0], v["leaf"] - 1, size, proof, empty_root())
        with pytest.raises(ProofError):
            verify_inclusion(RFC_LEAVES[0], 0, size, proof, empty_root())
        return
    index = v["leaf_index"]
    assert index == v["leaf"] - 1
    lh = RFC_LEAVES[:size]
    assert inclusion_proof(index, size, lambda s, e: root_from_leaf_hashes(lh[s:e])) == proof
    verify_inclusion(RFC_LEAVES[index], index, size, proof, RFC_ROOTS[size])
    assert root_from_inclusion_proof(RFC_LEAVES[index], index, size, proof) == RFC_ROOTS[size]


@pytest.mark.parametrize("v", RFC["consistency_proofs"], ids=lambda v: f"{v['size1']}-{v['size2']}")
def test_rfc6962_consistency_vectors(v):
    m, n, proof = v["size1"], v["size2"], [H(p) for p in v["proof"]]
    lh = RFC_LEAVES[:n]
    assert consistency_proof(m, n, lambda s, e: root_from_leaf_hashes(lh[s:e])) == proof
    verify_consistency(m, n, RFC_ROOTS[m], RFC_ROOTS[n], proof)
    if m < n:
        with pytest.raises(ProofError):
            verify_consistency(m, n, RFC_ROOTS[m], RFC_ROOTS[n - 1], proof)


@pytest.mark.parametrize("v", DERIVED["inclusion"], ids=lambda v: f"{v['leaf_index']}-{v['tree_size']}")
def test_derived_inclusion_upto8(v):
    index, size, proof = v["leaf_index"], v["tree_size"], [H(p) for p in v["proof"]]
    leaves = [leaf_hash(H(x)) for x in DERIVED["leaves_hex"]]
    assert leaves[index] == H(v["leaf_hash"])
    assert inclusion_proof(index, size, lambda s, e: root_from_leaf_hashes(leaves[s:e])) == proof
    verify_inclusion(H(v["leaf_hash"]), index, size, proof, H(DERIVED["roots"][str(size)]))


@pytest.mark.parametrize("v", DERIVED["consistency"], ids=lambda v: f"{v['size1']}-{v['size2']}")
def test_derived_consistency_upto8(v):
    m, n, proof = v["size1"], v["size2"], [H(p) for p in v["proof"]]
    leaves = [leaf_hash(H(x)) for x in DERIVED["leaves_hex"]]
    assert consistency_proof(m, n, lambda s, e: root_from_leaf_hashes(leaves[s:e])) == proof
    verify_consistency(m, n, H(DERIVED["roots"][str(m)]), H(DERIVED["roots"][str(n)]), proof)


def test_derived_covers_every_proof_upto8():
    assert len(DERIVED["inclusion"]) == sum(range(1, 9)) == 36
    assert len(DERIVED["consistency"]) == 36


@pytest.mark.parametrize("p", PROBES["inclusion"], ids=lambda p: p["file"].removeprefix("testdata/inclusion/"))
def test_transparency_dev_inclusion_probes(p):
    args = (H(p["leafHash"]), p["leafIdx"], p["treeSize"], [H(x) for x in p["proof"]], H(p["root"]))
    if p["wantErr"]:
        with pytest.raises(ProofError):
            verify_inclusion(*args)
    else:
        verify_inclusion(*args)


@pytest.mark.parametrize("p", PROBES["consistency"], ids=lambda p: p["file"].removeprefix("testdata/consistency/"))
def test_transparency_dev_consistency_probes(p):
    args = (p["size1"], p["size2"], H(p["root1"]), H(p["root2"]), [H(x) for x in p["proof"]])
    if p["wantErr"]:
        with pytest.raises(ProofError):
            verify_consistency(*args)
    else:
        verify_consistency(*args)


def test_probe_counts():
    assert len(PROBES["inclusion"]) + len(PROBES["consistency"]) == 196


def test_real_ct_log_argon2020():
    size, root = ARGON["sth"]["tree_size"], B64(ARGON["sth"]["sha256_root_hash"])
    index = ARGON["leaf_index"]
    lh = leaf_hash(B64(ARGON["leaf_input_b64"]))
    path = [B64(x) for x in ARGON["audit_path_b64"]]
    assert len(path) == len(inclusion_ranges(index, size)) == inclusion_proof_length(index, size) == 30
    for s, e in inclusion_ranges(index, size):
        complete_subtrees(s, e)  # every range of a real proof is foldable from stored tiles
    verify_inclusion(lh, index, size, path, root)

    old_size, old_root = ARGON["old_tree_size"], B64(ARGON["old_root_b64"])
    cons = [B64(x) for x in ARGON["consistency_b64"]]
    assert len(cons) == len(consistency_ranges(old_size, size)) == consistency_proof_length(old_size, size)
    for s, e in consistency_ranges(old_size, size):
        complete_subtrees(s, e)
    verify_consistency(old_size, size, old_root, root, cons)
    assert roots_from_consistency_proof(old_size, size, old_root, cons) == (old_root, root)

    # and it is not fooled by a neighbour, a wrong size, a bit flip, a dropped or extra node. (A size
    # whose path has the same shape — size - 1 here, or size + 1 for the consistency proof — gives the
    # same computed root: the size is bound to the root by the signed tree head, not by the proof, as
    # in every RFC 9162 verifier.)
    for bad in [
        (lh, index + 1, size, path, root),
        (lh, index, size // 2, path, root),
        (lh, index, size, path[:-1], root),
        (lh, index, size, path + [path[-1]], root),
        (lh, index, size, [flip(path[0])] + path[1:], root),
        (lh, index, size, path, flip(root, 7)),
        (flip(lh), index, size, path, root),
    ]:
        with pytest.raises(ProofError):
            verify_inclusion(*bad)
    for bad in [
        (old_size + 1, size, old_root, root, cons),
        (old_size, size // 2, old_root, root, cons),
        (old_size - 2, size, old_root, root, cons),
        (old_size, size, old_root, root, cons[1:]),
        (old_size, size, old_root, root, cons[:-1] + [flip(cons[-1])]),
        (old_size, size, flip(old_root), root, cons),
        (old_size, size, old_root, flip(root), cons),
    ]:
        with pytest.raises(ProofError):
            verify_consistency(*bad)


# ---- properties over random trees --------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_property_proofs_from_ranges_verify(data):
    size = data.draw(st.integers(1, 2000), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    old = data.draw(st.integers(1, size), label="old_size")
    root = brute(0, size)

    ranges = inclusion_ranges(index, size)
    for s, e in ranges:
        _check_range(s, e)
    proof = inclusion_proof(index, size, brute)
    assert len(proof) == inclusion_proof_length(index, size)
    verify_inclusion(POOL[index], index, size, proof, root)
    if proof:
        j = data.draw(st.integers(0, len(proof) - 1), label="mutated")
        with pytest.raises(ProofError):
            verify_inclusion(POOL[index], index, size, proof[:j] + [flip(proof[j])] + proof[j + 1:], root)
    with pytest.raises(ProofError):
        verify_inclusion(POOL[index], index, size, proof + [root], root)

    ranges = consistency_ranges(old, size)
    for s, e in ranges:
        _check_range(s, e)
    proof = consistency_proof(old, size, brute)
    assert len(proof) == consistency_proof_length(old, size)
    verify_consistency(old, size, brute(0, old), root, proof)
    if proof:
        j = data.draw(st.integers(0, len(proof) - 1), label="mutated")
        with pytest.raises(ProofError):
            verify_consistency(old, size, brute(0, old), root, proof[:j] + [flip(proof[j])] + proof[j + 1:])
        with pytest.raises(ProofError):
            verify_consistency(old, size, brute(0, old), root, proof[:-1])


# ---- CompactRange -----------------------------------------------------------------------------


def test_compact_range_root_every_size_up_to_600():
    cr = CompactRange()
    assert cr.root() == empty_root() and cr.size == 0 and cr.hashes == []
    for n in range(1, 601):
        cr.append(POOL[n - 1])
        assert cr.size == n
        assert len(cr.hashes) == n.bit_count()
        assert cr.root() == brute(0, n) == root_from_leaf_hashes(POOL[:n]), n
        if n <= 64 or n % 37 == 0:
            assert cr.root() == ref_mth(POOL[:n])
            assert cr.subtrees() == complete_subtrees(0, n)
            assert cr.hashes == [subtree_hash(h, i) for h, i in complete_subtrees(0, n)]


def test_compact_range_restore_extend_and_validation():
    for n in [0, 1, 2, 5, 64, 127, 300]:
        cr = CompactRange()
        cr.extend(POOL[:n])
        state = (cr.size, list(cr.hashes))
        restored = CompactRange("sha256", *state)
        assert restored.root() == cr.root()
        restored.extend(POOL[n:n + 90])
        cr2 = cr.copy()
        for h in POOL[n:n + 90]:
            cr2.append(h)
        assert restored.root() == cr2.root() == brute(0, n + 90)
        assert cr.size == n  # copy() is independent
    with pytest.raises(ValueError):
        CompactRange("sha256", 5, [POOL[0]])  # 5 = 0b101 needs two hashes
    with pytest.raises(ValueError):
        CompactRange("sha256", 1, [b"short"])
    with pytest.raises(ValueError):
        CompactRange("sha256", -1, [])
    cr = CompactRange()
    with pytest.raises(ValueError):
        cr.append(b"\x00" * 31)
    with pytest.raises(ValueError):
        cr.extend([POOL[0], b""])
    assert cr.size == 1  # the first leaf of the failed extend stays in
    cr.append(bytearray(POOL[1]))
    assert cr.root() == brute(0, 2) and all(type(h) is bytes for h in cr.hashes)


# ---- SM3 ---------------------------------------------------------------------------------------


def test_sm3_trees_differ_but_proofs_verify():
    # GB/T 32905: SM3("") — the empty tree's root
    assert empty_root("sm3").hex() == "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
    assert len(SM3_POOL[0]) == 32 and SM3_POOL[0] != leaf_hash(b"liuhen-0")
    for n in [1, 2, 3, 7, 8, 13, 64, 100, 257, 300]:
        root = brute(0, n, "sm3")
        assert root == ref_mth(SM3_POOL[:n], "sm3") != brute(0, n)
        cr = CompactRange("sm3")
        cr.extend(SM3_POOL[:n])
        assert cr.root() == root
        rh = functools.partial(brute, algo="sm3")
        for m in sorted({0, n // 3, n // 2, n - 1}):
            proof = inclusion_proof(m, n, rh)
            verify_inclusion(SM3_POOL[m], m, n, proof, root, algo="sm3")
            for s, e in inclusion_ranges(m, n):
                _check_range(s, e, "sm3")
            if proof:
                with pytest.raises(ProofError):  # an SM3 proof does not verify as SHA-256
                    verify_inclusion(SM3_POOL[m], m, n, proof, root)
        for old in sorted({1, n // 3 or 1, n // 2 or 1, n}):
            proof = consistency_proof(old, n, rh)
            verify_consistency(old, n, brute(0, old, "sm3"), root, proof, algo="sm3")
            if proof:
                with pytest.raises(ProofError):
                    verify_consistency(old, n, brute(0, old, "sm3"), root, proof)


# ---- verifier edge cases ----------------------------------------------------------------------


def test_verifier_messages_and_policy():
    root = brute(0, 5)
    proof = inclusion_proof(2, 5, brute)
    assert issubclass(ProofError, ValueError)
    with pytest.raises(ProofError, match="32 bytes"):
        verify_inclusion(POOL[2][:31], 2, 5, proof, root)
    with pytest.raises(ProofError, match="expected exactly 3"):
        verify_inclusion(POOL[2], 2, 5, proof[:2], root)
    with pytest.raises(ProofError, match="not in a tree"):
        verify_inclusion(POOL[2], 5, 5, proof, root)
    with pytest.raises(ProofError, match="not the expected"):
        verify_inclusion(POOL[3], 2, 5, proof, root)
    with pytest.raises(ProofError, match="proof\\[1\\] must be 32 bytes"):
        verify_inclusion(POOL[2], 2, 5, [proof[0], proof[1] + b"\x00", proof[2]], root)
    with pytest.raises(ProofError, match="integer"):
        verify_inclusion(POOL[2], "2", 5, proof, root)
    # (0, 0) and (0, n): rejected (RFC 9162 needs 0 < m), even with an empty proof and equal roots
    with pytest.raises(ProofError, match="RFC 9162"):
        verify_consistency(0, 0, empty_root(), empty_root(), [])
    with pytest.raises(ProofError, match="RFC 9162"):
        verify_consistency(0, 5, empty_root(), root, [])
    with pytest.raises(ProofError, match="larger"):
        verify_consistency(6, 5, root, root, [])
    with pytest.raises(ProofError, match="not empty"):
        verify_consistency(5, 5, root, root, [root])
    with pytest.raises(ProofError, match="roots differ"):
        verify_consistency(5, 5, root, brute(0, 4), [])
    with pytest.raises(ProofError, match="empty consistency proof"):
        verify_consistency(4, 5, brute(0, 4), root, [])
    with pytest.raises(ProofError, match="new root must be 32 bytes"):
        verify_consistency(4, 5, brute(0, 4), root[:16], consistency_proof(4, 5, brute))
    verify_consistency(5, 5, root, root, [])
