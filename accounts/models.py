from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """One request for a password-reset link, kept for the hour the limits look back on.

    The address is kept only as a keyed digest: it may be anybody's, account or not."""

    address_digest = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["address_digest", "created_at"], name="reset_request_address"),
            models.Index(fields=["ip_address", "created_at"], name="reset_request_ip"),
            models.Index(fields=["created_at"], name="reset_request_created"),
        ]

    def __str__(self) -> str:
        return f"{self.address_digest[:12]} from {self.ip_address} at {self.created_at}"


class LanguagePreference(models.Model):
    """The language a person reads LevelCheck in, remembered from their own choice (the
    language switch) so that what reaches them
    without a browser, e-mails above all, is in that language too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="language_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
