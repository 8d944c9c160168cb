"""`liuhen expire_uploads`: clear the footage uploads (API, browser) left unfinished longer than
LIUHEN_UPLOAD_EXPIRE_HOURS after their last byte — their staged bytes removed, each end logged
(footage.upload_end, expired). Each new upload does the same in passing; this is for a timer."""
from liuhen.common.cli import ChineseCommand
from liuhen.footage import uploads


class Command(ChineseCommand):
    help = "清除超过期限仍未完成的音像记录上传（LIUHEN_UPLOAD_EXPIRE_HOURS）。"

    def handle(self, *args, **opts):
        n = uploads.expire_stale()
        self.stdout.write(f"已清除 {n} 个过期未完成的上传。")
