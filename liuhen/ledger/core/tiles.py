"""C2SP tlog-tiles arithmetic (pure Python): where a tree node lives and how to hash inside a tile.

A tile at level L, index N holds up to 256 hashes: the nodes at tree height 8·L with indexes
[256·N, 256·N + width). A node (height h, index i) is found in the tile at level h // 8; below
height 8·L + 8 it is the root of 2^(h mod 8) consecutive hashes of that tile. So every complete
subtree of the tree is at most one tile read and ≤ 255 hashes away, and a proof at ten million
entries touches three tile levels.
"""
from .hashing import digest_function

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
HASH_SIZE = 32


def node_location(height: int, index: int) -> tuple[int, int, int, int]:
    """(tile level, tile index, first hash offset in the tile, sublevel) of node (height, index)."""
    level, sub = divmod(height, TILE_HEIGHT)
    first = index << sub  # index of the node's leftmost descendant at height 8·level
    return level, first >> TILE_HEIGHT, first & (TILE_WIDTH - 1), sub


def split(data: bytes) -> list[bytes]:
    return [data[i:i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def expand(hashes: list[bytes], algo: str = "sha256") -> list[list[bytes]]:
    """All complete node levels inside a tile: levels[0] = the tile's hashes, levels[s][k] = the
    node over hashes [k·2^s, (k+1)·2^s). Up to 255 hashes for a full tile."""
    digest = digest_function(algo)
    levels = [hashes]
    for _ in range(TILE_HEIGHT):
        below = levels[-1]
        if len(below) < 2:
            break
        levels.append([digest(b"\x01" + below[k] + below[k + 1]) for k in range(0, len(below) - 1, 2)])
    return levels


def tile_root(hashes: list[bytes], algo: str = "sha256") -> bytes:
    """The node one tile level up: the root of a full tile's 256 hashes."""
    if len(hashes) != TILE_WIDTH:
        raise ValueError("only a full tile has a root in the level above")
    return expand(hashes, algo)[TILE_HEIGHT][0]


def tile_path(level: int, index: int, width: int = TILE_WIDTH) -> str:
    """The tile's path as C2SP tlog-tiles names it: tile/<L>/<N> with N in x001/x234/067 form,
    and .p/<W> for a partial tile."""
    digits = f"{index:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    parts = [digits[i:i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([f"x{p}" for p in parts[:-1]] + [parts[-1]])
    return f"tile/{level}/{path}" + (f".p/{width}" if width < TILE_WIDTH else "")
