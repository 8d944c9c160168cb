"""Test helpers for the second factor (liuhen/accounts/otp.py).

`client.force_login(admin)` gives a session that has not passed the second factor: the
administrators' pages send it to enrol or to enter the code. `login_verified` is force_login plus
a confirmed authenticator and a session verified by it (django-otp's session key), as after the
code was entered. `code(device)` is the code an authenticator app shows now."""
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.accounts import otp


def device_for(user, *, confirmed: bool = True) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=confirmed)


def code(device: TOTPDevice, *, steps: int = 0) -> str:
    """The device's code now (`steps` time steps later or earlier)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps):0{device.digits}d}"


def login_verified(client, user) -> TOTPDevice | None:
    """Log `user` in on the test client; an administrator (otp.required) with a verified session
    (their authenticator confirmed), anyone else as force_login does."""
    client.force_login(user)
    return verify_session(client, user)


def verify_session(client, user) -> TOTPDevice | None:
    """Mark the client's session (already logged in as `user`) as having passed the second factor,
    if `user` needs one: what entering the code does (django_otp.login)."""
    if not otp.required(user):
        return None
    device = device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def next_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current step's, or the next one's when the current step
    was already used (TOTPDevice refuses a replay; its tolerance takes the next step)."""
    import time

    device.refresh_from_db()
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time()
    if generator.t() <= device.last_t:
        generator.drift += device.last_t + 1 - generator.t()
    return f"{generator.token():0{device.digits}d}"


def pass_second_factor(page, username: str) -> None:
    """In a browser on the enrol or the code page: type the code the person's phone would show.
    On the enrol page the key is read from the page, as an authenticator app reads the QR code."""
    import base64

    from liuhen.accounts.models import User

    if "/account/otp/enrol/" in page.url:
        secret = page.locator("#otp-secret").inner_text().replace(" ", "")
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        device = TOTPDevice.objects.get(user__username=username, confirmed=False)
        assert key == device.bin_key  # what the page shows is the device's key
        typed = code(device)
    else:
        typed = next_code(device_for(User.objects.get(username=username)))
    page.get_by_label("验证码").fill(typed)
    page.get_by_role("button", name="绑定" if "/enrol/" in page.url else "验证", exact=True).click()
