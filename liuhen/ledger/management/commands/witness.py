"""`liuhen witness DIR`: what a witness does — keep the log's checkpoints and refuse any new one
that is not a consistent extension of the last one kept."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liuhen.ledger.core import checkpoint as cp
from liuhen.ledger.core import note as notes
from liuhen.ledger.config import hash_algo
from liuhen.ledger.core import tree
from liuhen.ledger.signing import checkpoint_dir
from liuhen.ledger.storage import consistency_proof


class Command(BaseCommand):
    help = "见证：核对日志的最新检查点与本目录保存的上一个检查点一致（一致性证明），然后保存它。"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="见证方保存检查点的目录")
        parser.add_argument("--checkpoint", help="要核对的新检查点文件（默认为日志发布的最新检查点）")
        parser.add_argument("--vkey", help="日志公钥文件（首次见证时记入目录；之后只有明确给出的新公钥才被加入信任）")

    def handle(self, directory, checkpoint=None, vkey=None, **opts):
        try:
            self._witness(directory, checkpoint, vkey)
        except OSError as exc:  # a missing or unreadable file: say which, no traceback
            raise CommandError(f"无法读取文件：{exc}") from exc

    def _witness(self, directory, checkpoint, vkey):
        store = Path(directory)
        store.mkdir(parents=True, exist_ok=True)
        kept_vkey = store / "log.vkey"
        kept = kept_vkey.read_text(encoding="utf-8").split() if kept_vkey.exists() else []
        if not kept or vkey:
            # First witnessing: trust the given key (or the log's). Later, a new key (the log moved
            # to SM2, or rotated) is trusted only when the witness's operator passes it explicitly.
            given = Path(vkey or checkpoint_dir() / "log.vkey").read_text(encoding="utf-8").split()
            kept += [k for k in given if k not in kept]
            kept_vkey.write_text("".join(k + "\n" for k in kept), encoding="utf-8")
        try:
            verifiers = [notes.verifier_from_vkey(k) for k in kept]
        except ValueError as exc:
            raise CommandError(f"公钥无效：{exc}") from exc
        new_note = Path(checkpoint or checkpoint_dir() / "checkpoint").read_text(encoding="utf-8")
        try:
            new, _ = cp.open_checkpoint(new_note, verifiers)
        except ValueError as exc:
            raise CommandError(f"新检查点的签名无效：{exc}") from exc
        latest = store / "latest"
        if latest.exists():
            old, _ = cp.open_checkpoint(latest.read_text(encoding="utf-8"), verifiers)
            if new.size < old.size:
                raise CommandError(f"回滚：新检查点规模 {new.size} 小于已见证的 {old.size}")
            if new.size == old.size and new.root_hash != old.root_hash:
                raise CommandError(f"分叉：规模 {new.size} 的树根与已见证的不同")
            if new.size > old.size:
                try:
                    proof = consistency_proof(old.size, new.size)
                    tree.verify_consistency(old.size, new.size, old.root_hash, new.root_hash, proof,
                                            algo=hash_algo())
                except (ValueError, LookupError) as exc:
                    raise CommandError(f"不一致：新检查点不是已见证检查点的延伸（{exc}）") from exc
        (store / f"{new.size}.note").write_text(new_note, encoding="utf-8")
        latest.write_text(new_note, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"已见证：规模 {new.size}，根 {new.root_hash.hex()}"))
