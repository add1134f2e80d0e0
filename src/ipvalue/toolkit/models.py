"""Saved valuations: what a signed-in user typed, the result, and an optional read-only share link."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedValuation(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="valuations", verbose_name=_("owner")
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=40)
    form_data = models.JSONField(_("inputs as typed"), default=dict)
    engine_input = models.JSONField(_("validated inputs"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    report_details = models.JSONField(_("report details"), default=dict, blank=True)
    share_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("saved valuation")
        verbose_name_plural = _("saved valuations")

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def new_share_token() -> str:
        return secrets.token_urlsafe(32)
