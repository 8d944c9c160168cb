"""The second factor (等保 2.0 身份鉴别: 两种或两种以上组合的鉴别技术): a TOTP authenticator app
(django-otp). Required for the three administrators (ADMIN_ROLES), optional for everyone else.

After the password, an administrator's session is not verified: SecondFactorRequiredMiddleware
sends it to enrol (no confirmed device yet) or to enter the code, and nowhere else. A wrong code
is a guess like a wrong password (vocabulary.GUESSES): a ledger event about ("login", username),
counted by the lockout. Enrolment and removal of a device are ledger events.

Tests: `client.force_login` does not pass this step — liuhen.testing.otp.login_verified logs in an
administrator with a confirmed device and a verified session."""
import re

import qrcode
import qrcode.image.svg
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from liuhen.ledger import services as ledger

from . import vocabulary as v
from .roles import ADMIN_ROLES

CODE = re.compile(r"^\d{6}$")
DEVICE_NAME = "手机验证器"


def required(user) -> bool:
    """Must `user` pass the second factor? The three administrators (SPEC §9), and a superuser."""
    return user.is_superuser or user.has_role(*ADMIN_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (made on first sight; one at a time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def is_verified(request) -> bool:
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth URI as an SVG QR code (no inline style: the CSP allows none)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def secret_text(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app without a camera."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def clean_code(code: str) -> str:
    code = (code or "").strip().replace(" ", "")
    if not CODE.match(code):
        raise ValidationError("验证码应为6位数字。", code="otp_format")
    return code


def check_code(device: TOTPDevice, code: str) -> None:
    """The code is this device's now, and not one already used (TOTPDevice keeps the last step:
    a replayed code is refused)."""
    if not device.verify_token(clean_code(code)):
        raise ValidationError("验证码不正确或已使用，请输入验证器上当前显示的6位数字。", code="otp_wrong")


def verified(request, device: TOTPDevice) -> None:
    """The session passed the second factor (a read: nothing changes but the session)."""
    otp_login(request, device)
    ledger.append(v.OTP_VERIFY, actor=request.user, object_type="user", object_id=request.user.pk,
                  detail={"device": device.pk})


def confirm(request, device: TOTPDevice, code: str) -> None:
    """Enrolment: the first code confirms the device, and the session is verified by it."""
    check_code(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        ledger.append(v.OTP_DEVICE_ADD, actor=request.user, object_type="user", object_id=device.user_id,
                      detail={"device": device.pk})
    otp_login(request, device)


def remove(actor, user) -> None:
    """The owner (or a security administrator, for a lost phone) removes `user`'s authenticator.
    An administrator is then sent to enrol a new one at the next page."""
    with transaction.atomic():
        ids = list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True))
        if not ids:
            raise ValidationError("没有已绑定的验证器。", code="otp_none")
        TOTPDevice.objects.filter(pk__in=ids).delete()
        ledger.append(v.OTP_DEVICE_REMOVE, actor=actor, object_type="user", object_id=user.pk,
                      detail={"devices": ids})


def session_device_id(session) -> str | None:
    return session.get(DEVICE_ID_SESSION_KEY)
