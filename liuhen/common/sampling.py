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


# ---- re-draw (重新抽取核对) ------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class RedrawCodes:
    """The stable codes (an app's `liuhen verify` vocabulary) of what a re-draw can find."""

    row: str          # the round's row says other than its logged draw event
    population: str   # the population re-derived from the criteria has another digest or size
    sample: str       # the sample re-drawn from the seed differs from the recorded one
    absent: str       # no logged draw event to re-draw from


@dataclasses.dataclass
class Redraw:
    """The sample drawn again: from the round's row and from its logged draw event."""

    round_id: int
    population_size: int
    population_digest: str
    sample: list | None
    problems: list  # [(code, Chinese message)]

    @property
    def match(self) -> bool:
        return not self.problems

    def event_detail(self, **extra) -> dict:
        """What the read event of a re-draw check (重新抽取核对) records: whether it matched, the codes."""
        return {"match": self.match, "codes": sorted({c for c, _ in self.problems}),
                "population_size": self.population_size, **extra}

    def report(self, round_, noun: str = "个") -> tuple[list[str], dict]:
        """(the lines a command prints, the JSON object it prints last) for `round_`."""
        if self.match:
            lines = [f"一致（match）：第 {round_.pk} 轮，总体 {self.population_size} {noun}，"
                     f"用记载的随机种子重新抽取的 {len(self.sample)} {noun}样本与记载的相同。"]
        else:
            lines = [f"不一致（mismatch）：第 {round_.pk} 轮"] + [f"  [{c}] {m}" for c, m in self.problems]
        return lines, {"round": round_.pk, "match": self.match, "population_size": self.population_size,
                       "population_digest": self.population_digest, "seed": round_.seed, "sample": self.sample,
                       "recorded_sample": round_.sample,
                       "problems": [{"code": c, "message": m} for c, m in self.problems]}


def redraw(round_, population, logged: dict | None, *, codes: RedrawCodes, labels: dict, noun: str = "个",
           absent_ok: bool = False) -> Redraw:
    """Draw `round_`'s sample again from its seed over the population `population(criteria)` gives
    now, as the row states them and as the log recorded them (`logged`, the draw event's detail),
    and say what differs. `round_` has `pk`, `criteria`, `seed`, `sample`, `population_size`,
    `population_digest`; `labels` names (in Chinese) each of its fields compared with the event."""
    problems = []
    keys = population(round_.criteria)
    digest = keys_digest(keys)
    if digest != round_.population_digest or len(keys) != round_.population_size:
        problems.append((codes.population, f"按抽取条件重新得到的总体（{len(keys)} {noun}）与本轮记载的总体"
                                           f"（{round_.population_size} {noun}）不一致"))
    try:
        sample = draw(round_.seed, keys, len(round_.sample))
    except (TypeError, ValueError):  # a seed overwritten with what is not 16 bytes of hex: no re-draw at all
        sample = None
    if sample != round_.sample:
        problems.append((codes.sample, "用本轮记载的随机种子重新抽取，得到的样本与记载的样本不一致"))
    if logged is None:
        if not absent_ok:
            problems.append((codes.absent, "日志中没有本轮的抽取记录，无从核对"))
    else:
        changed = sorted(k for k in labels if logged.get(k) != getattr(round_, k))
        if changed:
            problems.append((codes.row, f"本轮的{'、'.join(labels[k] for k in changed)}与日志记载的不一致"))
        if logged.get("criteria") != round_.criteria:
            keys = population(logged["criteria"])
        if keys_digest(keys) != logged.get("population_digest"):
            problems.append((codes.population, "按日志记载的抽取条件重新得到的总体与日志记载的总体摘要不一致"))
        logged_sample = logged.get("sample") or []
        if draw(logged["seed"], keys, len(logged_sample)) != logged_sample:
            problems.append((codes.sample, "用日志记载的随机种子重新抽取，得到的样本与日志记载的样本不一致"))
    return Redraw(round_.pk, len(keys), digest, sample, problems)


def redraw_findings(rows, *, action: str, redraw_one, codes: RedrawCodes, what: str):
    """For `liuhen verify`: each logged round (`rows`: (object id, row, its events) of the rounds
    the log names and that are there) drawn again from its first `action` event by
    `redraw_one(row, logged detail)`; yields (object id, code, Chinese message, event) for each
    problem but the row differing from its event (the state check's finding already)."""
    for oid, row, evs in rows:
        draws = [ev for ev in evs if ev[2].get("action") == action]
        if not draws:
            yield oid, codes.absent, f"第 {oid} {what}在日志中没有抽取记录，无从重新抽取核对", evs[-1] if evs else None
            continue
        ev = draws[0]
        try:
            result = redraw_one(row, ev[2].get("detail") or {})
        except Exception as exc:  # noqa: BLE001 — criteria or a seed that cannot be read is a finding
            yield oid, codes.population, f"第 {oid} {what}无法重新抽取（{type(exc).__name__}: {exc}）"[:300], ev
            continue
        seen = set()
        for code, message in result.problems:
            if code == codes.row or (code, message) in seen:
                continue
            seen.add((code, message))
            yield oid, code, f"第 {oid} {what}：{message}", ev
