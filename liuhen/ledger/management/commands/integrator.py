import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from liuhen.ledger.identity import LedgerConfigError
from liuhen.ledger.storage import BATCH, CheckpointRefused, integrate


class Command(BaseCommand):
    help = "持续把新日志条目并入默克尔树并签发检查点（每批最多 256 条或每 250 毫秒）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前待处理条目后退出")
        parser.add_argument("--interval", type=float, default=0.25)

    def handle(self, *args, once=False, interval=0.25, **opts):
        while True:
            try:
                n = integrate(BATCH)
            except (LedgerConfigError, CheckpointRefused) as exc:
                # Another hash or origin, a key the log never announced, a checkpoint that does not
                # extend the published one: stop and say why (the entries wait in the queue).
                raise CommandError(str(exc)) from exc
            if n == BATCH:
                continue  # more may be waiting: no pause
            if once and n == 0:
                return
            close_old_connections()
            time.sleep(interval)
