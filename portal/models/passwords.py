"""What the staff password rules remember: each user's recent password hashes (no reuse of the last five, and the
age of the current one), and the accounts explicitly exempted from the age rule (demo accounts only)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PasswordHistory(models.Model):
    """One password a user has had, as its hash (never the password): the newest row dates the current one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history",
                             verbose_name="用户")
    password = models.CharField("密码散列", max_length=128)
    created_at = models.DateTimeField("设置时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]


class PasswordAgeExemption(models.Model):
    """An account whose password never expires. Only `load_demo` makes these, for the demo accounts, so that a
    demo site stays usable; a production site has none (docs/security.md)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_exemption",
                                verbose_name="用户")
    reason = models.CharField("原因", max_length=200)
    created_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "密码有效期豁免"
        verbose_name_plural = "密码有效期豁免"
