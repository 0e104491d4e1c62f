from django.db import models
from django.utils import timezone


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
