"""Bans, and what the spam filter learns from."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class BanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(expires__isnull=True) | Q(expires__gt=timezone.now()))


class Ban(models.Model):
    class Kind(models.TextChoices):
        IP = "ip", "IP address or network"
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Email domain"
        WORD = "word", "Word or phrase"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(
        max_length=300,
        help_text="An address or CIDR network (203.0.113.0/24), an email address, a domain, or a word or phrase.",
    )
    reason = models.CharField(max_length=300, blank=True, help_text="For moderators; never shown to the author.")
    expires = models.DateTimeField(null=True, blank=True, help_text="Empty means permanent.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    objects = BanQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        self.value = self.value.strip()
        if self.kind == self.Kind.IP:
            try:
                ipaddress.ip_network(self.value, strict=False)
            except ValueError as exc:
                raise ValidationError({"value": "Enter an IP address or a network such as 203.0.113.0/24."}) from exc
        if self.kind in {self.Kind.EMAIL, self.Kind.DOMAIN, self.Kind.WORD}:
            self.value = self.value.lower()

    def matches(self, *, ip: str, email: str, text: str, name: str) -> bool:
        if self.kind == self.Kind.IP:
            try:
                return ipaddress.ip_address(ip) in ipaddress.ip_network(self.value, strict=False)
            except ValueError:
                return False
        if self.kind == self.Kind.EMAIL:
            return bool(email) and email.lower() == self.value
        if self.kind == self.Kind.DOMAIN:
            domain = email.lower().rpartition("@")[2]
            return bool(domain) and (domain == self.value or domain.endswith("." + self.value))
        if self.kind == self.Kind.WORD:
            return self.value in text.lower() or self.value in name.lower()
        return False
