"""The audit trail (append-only, hash-chained) and the fingerprints of the web-page tamper check."""

from __future__ import annotations

from django.db import models

from audit.chain import GENESIS


class Action(models.TextChoices):
    LOGIN = "auth.login", "登录成功"
    LOGIN_FAILED = "auth.login_failed", "登录失败"
    LOGOUT = "auth.logout", "退出登录"
    LOCKOUT = "auth.lockout", "账户锁定"
    SECOND_FACTOR = "auth.second_factor", "双因素认证变更"
    USER_FLAGS = "perm.user_flags", "账户状态变更"
    USER_GROUPS = "perm.user_groups", "用户所属组变更"
    USER_PERMISSIONS = "perm.user_permissions", "用户权限变更"
    GROUP_PERMISSIONS = "perm.group_permissions", "用户组权限变更"
    PAGE_PUBLISH = "page.publish", "发布页面"
    PAGE_UNPUBLISH = "page.unpublish", "撤销发布"
    WORKFLOW_SUBMIT = "workflow.submit", "提交审核"
    WORKFLOW_APPROVE = "workflow.approve", "审核通过"
    WORKFLOW_REJECT = "workflow.reject", "审核退回"
    WORKFLOW_CANCEL = "workflow.cancel", "撤回审核"
    FILING_STATUS = "filing.status", "办件状态变更"
    API_KEY_ISSUE = "apikey.issue", "签发接口密钥"
    API_KEY_REVOKE = "apikey.revoke", "吊销接口密钥"
    PRIVATE_DOWNLOAD = "file.private_download", "下载非公开文件"
    TAMPER_ALERT = "tamper.alert", "网页篡改告警"
    TAMPER_BASELINE = "tamper.baseline", "更新防篡改基线"
    BACKUP = "ops.backup", "数据备份"
    RESTORE = "ops.restore", "数据恢复"
    AUDIT_PRUNE = "audit.prune", "清理过期审计记录"
    GUARD_OVERRIDE = "guard.wording_override", "终审放行用语问题"
    SEARCH_MODERATION = "search.moderation", "热门搜索审核"
    PASSWORD_CHANGE = "auth.password_change", "修改密码"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record through the ORM."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能修改。")

    def delete(self):
        raise AppendOnlyError("审计记录只能追加，不能删除；过期记录由 manage.py audit prune 清理。")

    def _prune(self) -> int:
        """Only `audit prune` calls this, after it has written the checkpoint that keeps the chain verifiable."""
        return self._raw_delete(self.db)


class AuditRecord(models.Model):
    seq = models.PositiveBigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间", db_index=True)
    action = models.CharField("事件", max_length=64, choices=Action.choices, db_index=True)
    # A plain number, not a foreign key: removing a user must not rewrite (and so break) the records about them.
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True, db_index=True)
    target = models.CharField("对象", max_length=255, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    ip = models.CharField("来源地址", max_length=64, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希（SM3）", max_length=64, unique=True)
    seal = models.CharField("签名（HMAC-SM3）", max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-seq"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.actor_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计记录只能追加，不能修改。")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计记录只能追加，不能删除。")

    def hashed_fields(self) -> dict:
        return {name: getattr(self, name) for name in
                ("seq", "created_at", "action", "actor_id", "actor_name", "target", "detail", "ip", "prev_hash")}


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Writers lock it, so concurrent writers never fork the chain,
    and verification notices records removed from the end."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = "审计链头"
        default_permissions = ()


class AuditCheckpoint(models.Model):
    """Written by `audit prune` before it removes old records: the chain then starts from here, signed so that a
    forged checkpoint cannot hide removed records."""

    seq = models.PositiveBigIntegerField("截至序号")
    hash = models.CharField("截至哈希", max_length=64)
    pruned = models.PositiveIntegerField("清理条数")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    seal = models.CharField("签名（HMAC-SM3）", max_length=64)

    class Meta:
        verbose_name = "审计检查点"
        ordering = ["-seq"]
        default_permissions = ()


class FingerprintKind(models.TextChoices):
    PAGE = "page", "页面"
    STATIC = "static", "静态文件"


class Fingerprint(models.Model):
    """网页防篡改: the SM3 of a published page's HTML (at publish time) or of a collected static file."""

    kind = models.CharField("类型", max_length=16, choices=FingerprintKind.choices)
    location = models.CharField("网址或文件", max_length=1024)
    sm3 = models.CharField("SM3", max_length=64)
    page_id = models.BigIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField("采集时间", auto_now=True)

    class Meta:
        verbose_name = "防篡改指纹"
        verbose_name_plural = "防篡改指纹"
        constraints = [models.UniqueConstraint(fields=["kind", "location"], name="audit_fingerprint_unique")]
        default_permissions = ()


class TamperAlert(models.Model):
    kind = models.CharField("类型", max_length=16, choices=FingerprintKind.choices)
    location = models.CharField("网址或文件", max_length=1024)
    problem = models.CharField("问题", max_length=255)
    detected_at = models.DateTimeField("发现时间", auto_now_add=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "篡改告警"
        verbose_name_plural = "篡改告警"
        ordering = ["-detected_at"]
        default_permissions = ()
