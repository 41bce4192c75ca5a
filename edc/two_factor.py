"""Optional TOTP two-factor authentication (django-otp), required for the roles a setting lists.

EDC_OTP_REQUIRED_ROLES names the roles (edc.roles.Role values) whose holders must verify a device
in every session; production requires it of data managers and administrators (21 CFR 11.10(d),
11.300). Any user may enrol a device from the account menu.
"""

from __future__ import annotations

import base64

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from edc.models import Membership
from edc.roles import Role

# Pages a user who still owes a second factor may open.
OPEN_URL_NAMES = frozenset({"two-factor-enrol", "two-factor-verify", "logout", "language-set"})


def required_for(user: AbstractBaseUser) -> bool:
    """Whether the user holds a role (in an active membership) that requires a second factor.

    Staff users count as administrators: they manage the system through the admin.
    """
    roles = set(settings.EDC_OTP_REQUIRED_ROLES)
    if not roles:
        return False
    if user.is_staff and Role.ADMINISTRATOR in roles:
        return True
    return Membership.objects.filter(user=user, is_active=True, role__in=roles).exists()


def device_for_enrolment(user: AbstractBaseUser) -> TOTPDevice:
    """The user's device awaiting its first token: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (no inline style, so CSP-safe)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)
    return mark_safe(svg)  # segno draws the code as a path: no user text in the markup


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def device_confirm(device: TOTPDevice, token: str) -> bool:
    """Confirm a new device with its first token; False (nothing changes) if the token is wrong."""
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True
