"""RFC 6962 / RFC 9162 §2.1 Merkle tree: tree heads, proof shapes, streaming roots, verification.

Pure Python, no Django: this module ships with the standalone verifier.

Conventions
-----------
* Leaves are numbered from 0. A *range* ``(start, end)`` is the half-open interval of leaf
  indexes ``[start, end)``; ``MTH(D[start:end])`` is the RFC 9162 Merkle Tree Hash of those
  leaves taken as a tree of their own.
* A *complete subtree* ``(height, index)`` covers leaves ``[index * 2**height, (index+1) * 2**height)``
  (the C2SP tlog-tiles / transparency-dev node coordinates).
* Hashes are raw ``bytes``; leaf and node hashing come from :mod:`liuhen.ledger.core.hashing`
  (``algo`` is ``"sha256"`` or ``"sm3"``, both 32-byte digests).

Proof *shapes* (which ranges a proof is made of) are separate from proof *values*: the storage
layer asks :func:`inclusion_ranges` / :func:`consistency_ranges` which ranges it needs, splits each
one with :func:`complete_subtrees` into hashes it has stored, and combines them with
:func:`fold_right`.

Policy decisions (see ``liuhen/ledger/tests/vectors/README.md``)
--------------------------------------------------------
* Inclusion: ``0 <= index < size``; there is no inclusion proof in an empty tree.
* Consistency follows RFC 9162 §2.1.4: ``0 < old_size <= new_size``. A proof from or between
  empty trees, including ``(0, 0)``, is rejected (ValueError from :func:`consistency_ranges`,
  :class:`ProofError` from :func:`verify_consistency`), as current transparency-dev does. Every
  tree trivially extends the empty tree: a caller holding no previous checkpoint has nothing to
  check and should not ask for a proof.
* ``old_size == new_size``: the proof must be empty and the two roots byte-for-byte equal. No
  hashing happens in that case, so root lengths are not checked there (transparency-dev's probe
  ``sizes-are-equal-one-and-proof-is-empty`` accepts 12-byte roots); whenever hashing is involved
  the leaf hash, every proof node and the roots must be exactly the digest size (32 bytes),
  otherwise :class:`ProofError` — this is what rejects the zero-length-leaf-hash probes.
* Proof lengths must be exactly the length the RFC shape has; extra or missing nodes are errors.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence

from liuhen.ledger.core import hashing
from liuhen.ledger.core.hashing import node_hash

__all__ = [
    "Range",
    "ProofError",
    "largest_power_of_two_below",
    "inclusion_ranges",
    "consistency_ranges",
    "complete_subtrees",
    "fold_right",
    "root_from_leaf_hashes",
    "empty_root",
    "hash_size",
    "CompactRange",
    "inclusion_proof",
    "consistency_proof",
    "root_from_inclusion_proof",
    "roots_from_consistency_proof",
    "verify_inclusion",
    "verify_consistency",
    "inclusion_proof_length",
    "consistency_proof_length",
]

Range = tuple[int, int]


class ProofError(ValueError):
    """A Merkle proof (or a claimed root) does not verify."""


# ------------------------------------------------------------------------------------ hashing


_EMPTY: dict[str, bytes] = {}


def empty_root(algo: str = "sha256") -> bytes:
    """MTH({}) = HASH(""), the root of the empty tree (RFC 9162 §2.1.1)."""
    try:
        return _EMPTY[algo]
    except KeyError:
        pass
    try:
        # hashing.py exposes no "hash of the empty string"; use its digest table so the algorithm
        # is the same one leaf_hash/node_hash use.
        digest = hashing._digest(algo, b"")
    except KeyError:
        raise ValueError(f"unknown hash algorithm {algo!r}") from None
    _EMPTY[algo] = digest
    return digest


def hash_size(algo: str = "sha256") -> int:
    """Digest size in bytes (32 for both sha256 and sm3); ValueError for an unknown algorithm."""
    return len(empty_root(algo))


def _fast_node_hash(algo: str) -> Callable[[bytes, bytes], bytes]:
    """node_hash(left, right) for the hot loops (CompactRange), bound once to the digest function."""
    hash_size(algo)  # validates algo
    digest = hashing.digest_function(algo)

    def node(left: bytes, right: bytes) -> bytes:
        return digest(b"\x01" + left + right)

    return node


# ------------------------------------------------------------------------------- proof shapes


def largest_power_of_two_below(n: int) -> int:
    """The k with k < n <= 2k (a power of two), for n >= 2: RFC 9162's split point."""
    n = operator.index(n)
    if n < 2:
        raise ValueError(f"largest_power_of_two_below needs n >= 2, got {n}")
    return 1 << ((n - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """RFC 9162 §2.1.3.1 PATH(m, D[n]) as ranges, ordered from the leaf up (proof order).

    ``PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])`` if ``m < k``, else
    ``PATH(m - k, D[k:n]) : MTH(D[0:k])``, with k the largest power of two below n.
    ValueError unless ``0 <= index < size``.
    """
    index, size = operator.index(index), operator.index(size)
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        mid = start + largest_power_of_two_below(end - start)
        if index < mid:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            start = mid
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[Range]:
    """RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true) as ranges, in proof order.

    ``SUBPROOF(m, D[m], true) = {}``; ``SUBPROOF(m, D[m], false) = {MTH(D[m])}``; for m < n with k
    the largest power of two below n: ``SUBPROOF(m, D[0:k], b) : MTH(D[k:n])`` if m <= k, else
    ``SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])``.

    Policy: RFC 9162 defines the proof only for ``0 < m``, so ValueError unless
    ``0 < old_size <= new_size`` — in particular ``(0, 0)`` and ``(0, n)`` are refused.
    ``old_size == new_size`` gives ``[]``.
    """
    old_size, new_size = operator.index(old_size), operator.index(new_size)
    if not 0 < old_size <= new_size:
        raise ValueError(
            f"no consistency proof from size {old_size} to size {new_size} (RFC 9162 needs 0 < old <= new)")
    ranges: list[Range] = []
    start, end, m = 0, new_size, old_size  # m is relative to start
    complete = True  # the RFC's b: are we still on the old tree's own right edge?
    while True:
        if m == end - start:
            if not complete:
                ranges.append((start, end))
            break
        mid = start + largest_power_of_two_below(end - start)
        if m <= mid - start:
            ranges.append((mid, end))
            end = mid
        else:
            ranges.append((start, mid))
            m -= mid - start
            start = mid
            complete = False
    ranges.reverse()
    return ranges


def inclusion_proof_length(index: int, size: int) -> int:
    """len(inclusion_ranges(index, size)), in O(1)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def consistency_proof_length(old_size: int, new_size: int) -> int:
    """len(consistency_ranges(old_size, new_size)), in O(1)."""
    if not 0 < old_size <= new_size:
        raise ValueError(
            f"no consistency proof from size {old_size} to size {new_size} (RFC 9162 needs 0 < old <= new)")
    if old_size == new_size:
        return 0
    shift = (old_size & -old_size).bit_length() - 1  # trailing zeros
    inner = ((old_size - 1) ^ (new_size - 1)).bit_length()
    border = ((old_size - 1) >> inner).bit_count()
    seed = 0 if old_size == 1 << shift else 1  # a power-of-two old tree is its own first node
    return seed + inner - shift + border


def complete_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) into maximal aligned complete subtrees (height, index), left to right.

    Defined for every range whose MTH is a fold of aligned subtrees: ``start`` must be a
    multiple of the largest power of two <= ``end - start``. All ranges RFC 9162's recursions
    produce (every range of :func:`inclusion_ranges` and :func:`consistency_ranges`, and every
    prefix [0, n)) have that property; then the subtree sizes are the binary digits of
    ``end - start``, largest first, and ``MTH(D[start:end]) == fold_right(their hashes)``.
    ValueError for an empty range or one without the property (e.g. [1, 4), whose MTH splits
    as [1, 3) + [3, 4), not along aligned subtrees).
    """
    start, end = operator.index(start), operator.index(end)
    if not 0 <= start < end:
        raise ValueError(f"not a non-empty range of leaves: [{start}, {end})")
    n = end - start
    if start & ((1 << (n.bit_length() - 1)) - 1):
        raise ValueError(
            f"range [{start}, {end}) is not aligned: its start must be a multiple of "
            f"{1 << (n.bit_length() - 1)} for its MTH to be a fold of complete subtrees")
    out = []
    while start < end:
        height = (end - start).bit_length() - 1
        out.append((height, start >> height))
        start += 1 << height
    return out


def fold_right(hashes: Sequence[bytes], algo: str = "sha256") -> bytes:
    """MTH of a range from the hashes of its complete subtrees, left to right.

    RFC 6962 trees put the largest power of two on the left, so the root is
    ``node(h0, node(h1, ... node(h[-2], h[-1])))``.
    """
    if not hashes:
        raise ValueError("fold_right of no hashes (the empty tree's root is empty_root())")
    h = hashes[-1]
    for x in reversed(hashes[:-1]):
        h = node_hash(x, h, algo)
    return h


# ------------------------------------------------------------------------ roots and proofs


class CompactRange:
    """Streaming Merkle root (O(log n) memory): the 'right edge' of complete subtrees.

    ``hashes`` are the roots of the complete subtrees of [0, size), left to right; their heights
    are the set bits of ``size``, highest first (they are ``complete_subtrees(0, size)``). Store
    ``(size, hashes)`` and restore with ``CompactRange(algo, size, hashes)``.
    """

    __slots__ = ("algo", "size", "hashes", "_node", "_hash_size")

    def __init__(self, algo: str = "sha256", size: int = 0, hashes: Iterable[bytes] = ()):
        self.algo = algo
        self._node = _fast_node_hash(algo)
        self._hash_size = hash_size(algo)
        size = operator.index(size)
        hashes = [bytes(h) for h in hashes]
        if size < 0:
            raise ValueError(f"negative size {size}")
        if len(hashes) != size.bit_count():
            raise ValueError(f"a compact range of size {size} has {size.bit_count()} hashes, got {len(hashes)}")
        for h in hashes:
            if len(h) != self._hash_size:
                raise ValueError(f"subtree hash must be {self._hash_size} bytes, got {len(h)}")
        self.size = size
        self.hashes = hashes

    def __repr__(self) -> str:
        return f"CompactRange(algo={self.algo!r}, size={self.size}, hashes=[{len(self.hashes)} hashes])"

    def subtrees(self) -> list[tuple[int, int]]:
        """(height, index) of each entry of ``hashes``."""
        return complete_subtrees(0, self.size) if self.size else []

    def copy(self) -> CompactRange:
        return CompactRange(self.algo, self.size, self.hashes)

    def _coerce(self, leaf_hash: bytes) -> bytes:
        leaf_hash = bytes(leaf_hash)  # bytearray / memoryview: keep an immutable copy
        if len(leaf_hash) != self._hash_size:
            raise ValueError(f"leaf hash must be {self._hash_size} bytes, got {len(leaf_hash)}")
        return leaf_hash

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf (its RFC 6962 leaf hash). Amortised one node hash per leaf."""
        if leaf_hash.__class__ is not bytes or len(leaf_hash) != self._hash_size:
            leaf_hash = self._coerce(leaf_hash)
        size = self.size
        self.size = size + 1
        hashes = self.hashes
        h = leaf_hash
        if size & 1:
            node = self._node
            pop = hashes.pop
            while size & 1:  # merge the equal-height subtrees on the right edge
                h = node(pop(), h)
                size >>= 1
        hashes.append(h)

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        node = self._node
        hs = self._hash_size
        hashes = self.hashes
        pop, push = hashes.pop, hashes.append
        size = self.size
        try:
            for h in leaf_hashes:
                if h.__class__ is not bytes or len(h) != hs:
                    h = self._coerce(h)
                s = size
                size += 1
                while s & 1:
                    h = node(pop(), h)
                    s >>= 1
                push(h)
        finally:
            self.size = size

    def root(self) -> bytes:
        """MTH(D[0:size]); the empty tree's root for size 0."""
        hashes = self.hashes
        if not hashes:
            return empty_root(self.algo)
        node = self._node
        h = hashes[-1]
        for x in reversed(hashes[:-1]):
            h = node(x, h)
        return h


def root_from_leaf_hashes(leaf_hashes: Iterable[bytes], algo: str = "sha256") -> bytes:
    """MTH of the leaves with these leaf hashes; the empty tree gives HASH("")."""
    cr = CompactRange(algo)
    cr.extend(leaf_hashes)
    return cr.root()


def inclusion_proof(index: int, size: int, range_hash: Callable[[int, int], bytes]) -> list[bytes]:
    """The inclusion proof, given ``range_hash(start, end) -> MTH(D[start:end])``."""
    return [range_hash(s, e) for s, e in inclusion_ranges(index, size)]


def consistency_proof(old_size: int, new_size: int, range_hash: Callable[[int, int], bytes]) -> list[bytes]:
    """The consistency proof, given ``range_hash(start, end) -> MTH(D[start:end])``."""
    return [range_hash(s, e) for s, e in consistency_ranges(old_size, new_size)]


# ---------------------------------------------------------------------------- verification


def _int(value: object) -> int:
    try:
        return operator.index(value)
    except TypeError:
        raise ProofError(f"expected an integer, got {type(value).__name__}") from None


def _check_bytes(what: str, value: object) -> None:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise ProofError(f"{what} must be bytes, got {type(value).__name__}")


def _check_hash(what: str, value: object, size: int) -> None:
    _check_bytes(what, value)
    if len(value) != size:
        raise ProofError(f"{what} must be {size} bytes, got {len(value)}")


def _check_proof(proof: Sequence[bytes], want: int, size: int) -> None:
    if len(proof) != want:
        raise ProofError(f"proof has {len(proof)} hashes, expected exactly {want}")
    for i, p in enumerate(proof):
        _check_hash(f"proof[{i}]", p, size)


def root_from_inclusion_proof(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes],
                              algo: str = "sha256") -> bytes:
    """The root the inclusion proof leads to (RFC 9162 §2.1.3.2 steps 1-4).

    Raises ProofError if the claim is malformed: index not in [0, size), leaf hash or a proof
    node not exactly the digest size, or the proof not exactly as long as the path.
    """
    hs = hash_size(algo)
    index, size = _int(index), _int(size)
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    _check_hash("leaf hash", leaf_hash, hs)
    proof = list(proof)
    _check_proof(proof, inclusion_proof_length(index, size), hs)
    fn, sn, r = index, size - 1, bytes(leaf_hash)
    for p in proof:
        p = bytes(p)
        if sn == 0:
            raise ProofError("inclusion proof is longer than the path")  # guarded by the length check
        if fn & 1 or fn == sn:
            r = node_hash(p, r, algo)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p, algo)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("inclusion proof is shorter than the path")  # guarded by the length check
    return r


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes,
                     algo: str = "sha256") -> None:
    """Check that the leaf with hash ``leaf_hash`` is leaf ``index`` of the tree (``size``, ``root``).

    RFC 9162 §2.1.3.2. Returns None; raises ProofError saying what is wrong.
    """
    computed = root_from_inclusion_proof(leaf_hash, index, size, proof, algo)
    _check_hash("root", root, hash_size(algo))
    if computed != bytes(root):
        raise ProofError(
            f"inclusion proof for leaf {index} in tree of size {size} leads to root {computed.hex()}, "
            f"not the expected {bytes(root).hex()}")


def roots_from_consistency_proof(old_size: int, new_size: int, old_root: bytes, proof: Sequence[bytes],
                                 algo: str = "sha256") -> tuple[bytes, bytes]:
    """The (old root, new root) a consistency proof leads to (RFC 9162 §2.1.4.2 steps 1-6).

    For ``old_size < new_size`` only; ``old_root`` is used as the first node when ``old_size`` is a
    power of two (the RFC's step 2). Raises ProofError for malformed input.
    """
    hs = hash_size(algo)
    old_size, new_size = _int(old_size), _int(new_size)
    if not 0 < old_size < new_size:
        raise ProofError(f"no consistency proof to compute from size {old_size} to size {new_size}")
    _check_hash("old root", old_root, hs)
    proof = [bytes(p) for p in _checked(proof, consistency_proof_length(old_size, new_size), hs)]
    if old_size & (old_size - 1) == 0:  # step 2: a power of two is its own first node
        proof.insert(0, bytes(old_root))
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:  # step 4
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise ProofError("consistency proof is too long")  # guarded by the length check
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr, algo)
            sr = node_hash(c, sr, algo)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c, algo)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("consistency proof is too short")  # guarded by the length check
    return fr, sr


def _checked(proof: Sequence[bytes], want: int, hs: int) -> list[bytes]:
    proof = list(proof)
    _check_proof(proof, want, hs)
    return proof


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes], algo: str = "sha256") -> None:
    """Check that the tree (new_size, new_root) extends the tree (old_size, old_root).

    RFC 9162 §2.1.4.2. Returns None; raises ProofError saying what is wrong. Policy: requires
    ``0 < old_size <= new_size`` (RFC 9162), so (0, 0) is rejected; for equal sizes the proof must
    be empty and the roots equal (compared as given, see the module docstring).
    """
    old_size, new_size = _int(old_size), _int(new_size)
    if old_size > new_size:
        raise ProofError(f"old tree size {old_size} is larger than new tree size {new_size}")
    if old_size <= 0:
        raise ProofError(
            f"no consistency proof from tree size {old_size}: RFC 9162 defines them only for 0 < old size")
    if old_size == new_size:
        _check_bytes("old root", old_root)
        _check_bytes("new root", new_root)
        if len(proof):
            raise ProofError(f"tree sizes are equal ({old_size}) but the proof is not empty")
        if bytes(old_root) != bytes(new_root):
            raise ProofError(f"tree sizes are equal ({old_size}) but the roots differ")
        return
    hs = hash_size(algo)
    _check_hash("new root", new_root, hs)
    if not len(proof):
        raise ProofError("empty consistency proof for different tree sizes")
    fr, sr = roots_from_consistency_proof(old_size, new_size, old_root, proof, algo)
    if fr != bytes(old_root):
        raise ProofError(
            f"consistency proof {old_size}->{new_size} leads to old root {fr.hex()}, "
            f"not the expected {bytes(old_root).hex()}")
    if sr != bytes(new_root):
        raise ProofError(
            f"consistency proof {old_size}->{new_size} leads to new root {sr.hex()}, "
            f"not the expected {bytes(new_root).hex()}")
