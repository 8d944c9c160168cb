"""`liuhen rotate_ledger_key`: the one way the log's signing key changes (签名密钥轮换).

Adopts the key this process is configured with — after LIUHEN_LEDGER_SIGNATURE was switched to
sm2, or a key file was replaced — or, with --new-key, a fresh key of the configured type (the old
key file is kept as <file>.<key id>.retired; if the announcing transaction fails, the key files are
put back as they were). Either way a `ledger.key_announce` event naming the
new verifier key and the one it replaces goes into the log, and the key becomes the log's current
key: the integrator signs with it from its next checkpoint on, and refuses any other. Old
checkpoints stay verifiable (checkpoints/log.vkeys keeps every key). Witnesses must be given the
new key explicitly (`liuhen witness DIR --vkey FILE`).
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from liuhen.ledger import identity as log_identity
from liuhen.ledger import signing, storage
from liuhen.ledger.identity import LedgerConfigError


class Command(BaseCommand):
    help = "更换日志签名密钥：把本进程配置的（或 --new-key 新生成的）密钥作为日志事件公告，此后检查点用它签名。"

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true",
                            help="生成所配置类型的新密钥（旧密钥文件改名保留为 .retired）")
        parser.add_argument("--reason", default="", help="更换原因（记入日志事件）")

    def handle(self, *args, new_key=False, reason="", **opts):
        if not new_key:
            return self._rotate(reason)
        # The key files change only with a committed announcement: a failed transaction puts the
        # old key file (and log.vkey, log.vkeys) back, leaving no unannounced key in place.
        with signing.fresh_key_file(signing.signature_kind()) as retired:
            self._rotate(reason)
        if retired is not None:
            self.stdout.write(f"旧密钥文件已保留为 {retired}")

    def _rotate(self, reason):
        try:
            with transaction.atomic():
                storage._state_for_update()  # one at a time with the integrator
                identity = log_identity.ensure()
                s = signing.signer(reload=True)
                if s.vkey() == identity.vkey:
                    self.stdout.write(f"密钥 {s.key_id.hex()} 已是本日志公告的签名密钥，无需更换。")
                    return
                old = identity.vkey
                entry = signing.announce(identity, s, reason=("rotation: " + reason).strip()[:200]
                                         if old else ("first: " + reason).strip()[:200])
        except LedgerConfigError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"已公告新的签名密钥（{signing.kind_of(s)}，密钥 ID {s.key_id.hex()}），日志条目 #{entry.pk}。\n"
            f"新公钥：{s.vkey()}\n"
            f"公钥文件：{signing.checkpoint_dir() / 'log.vkey'}（全部历史公钥：log.vkeys）。\n"
            f"请把新公钥交给各见证方，由其明确信任：liuhen witness DIR --vkey 新公钥文件"))
