"""`liuhen posters`: make the poster frames (封面帧) of the footage videos that have none yet.

    liuhen posters [--limit N]

Poster frames are otherwise made on the first request for one (footage/playback.py), which keeps
the ingest fast; run this after a large ingest (or from cron) so that the first list or holding
area view does not wait for ffmpeg. Derived files only, under LIUHEN_POSTER_DIR
(LIUHEN_HOME/cache/posters): it writes nothing to the database or the ledger. Prints one line:
how many were made, were already there, could not be made (a broken video gets a placeholder)."""
from liuhen.common.cli import ChineseCommand
from liuhen.footage.models import FootageItem
from liuhen.media import poster


class Command(ChineseCommand):
    help = "为尚无封面帧的音像记录视频生成封面帧（缓存于 LIUHEN_HOME/cache/posters）。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=0, help="最多生成多少个（0：不限）")

    def handle(self, *args, limit=0, **options):
        made = cached = failed = 0
        shas = (FootageItem.objects.filter(kind="video").order_by("blob_id")
                .values_list("blob_id", flat=True).distinct())
        for sha in shas.iterator():
            if poster.is_cached(sha):
                cached += 1
                continue
            if limit and made + failed >= limit:
                break
            if poster.cached_poster(sha) is None:
                failed += 1
            else:
                made += 1
        self.stdout.write(f"封面帧：新生成 {made} 个，已有 {cached} 个，无法生成 {failed} 个。")
