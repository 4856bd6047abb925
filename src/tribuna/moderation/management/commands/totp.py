"""`tribuna totp USERNAME`: set up two-factor sign-in (TOTP) for a staff account.

Prints the otpauth:// address as a QR code and as text for an authenticator app. From then on
the admin and the moderation pages ask this account for a code at sign-in. Superusers can also
add and remove devices in the admin (OTP_TOTP > TOTP devices).
"""

from __future__ import annotations

import io

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Set up (or with --remove, take away) TOTP two-factor sign-in for a staff account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--device-name", default="authenticator", help="A name to tell devices apart.")
        parser.add_argument("--remove", action="store_true", help="Remove the account's TOTP devices instead.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would change, change nothing.")

    def handle(self, *args, username: str, device_name: str, remove: bool, dry_run: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff; two-factor sign-in is for staff accounts.")
        devices = TOTPDevice.objects.filter(user=user)
        if remove:
            if not dry_run:
                devices.delete()
            self.stdout.write(f"{'Would remove' if dry_run else 'Removed'} {devices.count() if dry_run else 'the'} "
                              f"TOTP devices of {username}.")
            return
        if dry_run:
            self.stdout.write(f"Would add a TOTP device {device_name!r} for {username}.")
            return
        device = TOTPDevice.objects.create(user=user, name=device_name, confirmed=True)
        if options["verbosity"] > 0:
            qr = qrcode.QRCode(border=1)
            qr.add_data(device.config_url)
            text = io.StringIO()
            qr.print_ascii(out=text, invert=True)
            self.stdout.write(text.getvalue())
        self.stdout.write(f"Scan the code above, or enter this address in an authenticator app:\n{device.config_url}")
        self.stdout.write(f"From now on {username} signs in with a password and a code from the app.")
