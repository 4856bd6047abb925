"""Two-factor sign-in for staff (TOTP through django-otp): who must show a code, and whether they did.

Staff who set up a device must verify it at sign-in before the admin or the moderation pages
open; staff without one sign in with their password alone, so a site can adopt TOTP one
account at a time.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm


def second_factor_ok(user) -> bool:
    """True unless the user has a confirmed device and this session has not verified it."""
    if not user.is_authenticated or not user_has_device(user):
        return True
    return bool(getattr(user, "is_verified", lambda: False)())


class SignInForm(OTPAdminAuthenticationForm):
    """The admin's sign-in form: password, then the device's code when the account has one."""

    def clean(self):
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return self.cleaned_data


class TribunaAdminSite(AdminSite):
    """Django's admin, open to staff only once their second factor (if they have one) is verified."""

    login_form = SignInForm
    login_template = "otp/admin111/login.html"  # django-otp's admin login, with the code field

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and second_factor_ok(request.user)
