"""The upload API tests' helpers: a staging folder of the test's own, a docking station and its
token, and a client that speaks the API (declare, chunks at offsets, complete, confirm)."""
import hashlib
import json
from pathlib import Path

import pytest
from django.test import Client

from liuhen.devices import services as dev
from liuhen.testing.otp import login_verified

BASE = "/api/footage"


@pytest.fixture
def staging(settings, tmp_path):
    """LIUHEN_UPLOAD_DIR under the test's own directory (import it into a test module)."""
    settings.LIUHEN_UPLOAD_DIR = str(tmp_path / "uploads")
    return Path(settings.LIUHEN_UPLOAD_DIR)


def station(world, number="CJZ-01", **kw):
    """A docking station of the world's agency, registered by the system: (station, token)."""
    return dev.add_station(None, agency=world.agency, number=number, **kw)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Api:
    """A client of /api/footage/ as a station (token) or as a logged-in person (session + CSRF)."""

    def __init__(self, token: str | None = None, user=None):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if user is not None:
            login_verified(self.client, user)  # an administrator with their second factor passed
            self.client.get("/footage/upload/")  # sets the CSRF cookie
            self.headers["X-CSRFToken"] = self.client.cookies["csrftoken"].value

    def declare(self, path: str, data: bytes, device: str, *, sha256: str | None = None, **more):
        body = {"name": path.rsplit("/", 1)[-1], "relative_path": path, "size": len(data),
                "sha256": sha256 or sha(data), "device": device, **more}
        return self.client.post(f"{BASE}/uploads", json.dumps(body), content_type="application/json",
                                headers=self.headers)

    def state(self, key: str, method: str = "get"):
        return getattr(self.client, method)(f"{BASE}/uploads/{key}", headers=self.headers)

    def chunk(self, key: str, offset: int, data: bytes):
        return self.client.patch(f"{BASE}/uploads/{key}", data, content_type="application/offset+octet-stream",
                                 headers={**self.headers, "Upload-Offset": str(offset)})

    def complete(self, key: str):
        return self.client.post(f"{BASE}/uploads/{key}/complete", headers=self.headers)

    def confirm(self, shas):
        return self.client.post(f"{BASE}/confirm", json.dumps({"sha256": shas}), content_type="application/json",
                                headers=self.headers)

    def send(self, key: str, data: bytes, start: int = 0, step: int = 64 * 1024):
        """Chunks from `start` to the end; the last response."""
        at, r = start, None
        while at < len(data):
            r = self.chunk(key, at, data[at:at + step])
            assert r.status_code in (200, 422, 507), r.content
            if r.status_code != 200 or r.json().get("state") == "ended":
                return r
            at = r.json()["offset"]
        return r

    def upload(self, path: str, data: bytes, device: str, step: int = 64 * 1024, **more):
        r = self.declare(path, data, device, **more)
        assert r.status_code == 201, r.content
        return self.send(r.json()["id"], data, step=step)
