"""Receivers that put security events into the audit trail: logins (Django auth), permission and group changes
(model signals on the auth tables and Wagtail's permission tables), publishing (Wagtail's page log) and workflow
submissions and decisions (Wagtail's workflow signals)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from axes import signals as axes_signals
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import signals as wagtail_signals
from wagtail.log_actions import get_active_log_context
from wagtail.models import GroupCollectionPermission, GroupPagePermission, ModelLogEntry, PageLogEntry

from audit.context import current_request
from portal.models import PasswordHistory
from audit.models import Action
from audit.services import audit_record

User = get_user_model()
FLAGS = ("is_active", "is_staff", "is_superuser")


def _request():
    return current_request.get()


def _acting_user():
    """Who is acting: the Wagtail admin's log context, else the signed-in user of the current request."""
    user = get_active_log_context().user
    if user is None and _request() is not None:
        user = getattr(_request(), "user", None)
    return user if getattr(user, "is_authenticated", False) else None


# --- logins -------------------------------------------------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(action=Action.LOGIN, actor=user, target=f"user:{user.pk} {user.get_username()}",
                 detail={"path": getattr(request, "path", "")[:200]}, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=Action.LOGOUT, actor=user, target=f"user:{user.pk} {user.get_username()}",
                     request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Django has already masked anything that looks like a secret; only the name tried is kept.
    tried = str(credentials.get("username") or credentials.get(User.USERNAME_FIELD) or "")[:150]
    audit_record(action=Action.LOGIN_FAILED, actor=None, target=f"username:{tried}",
                 detail={"path": getattr(request, "path", "")[:200]}, request=request or _request())


@receiver(axes_signals.user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(action=Action.LOCKOUT, actor=None, target=f"username:{str(username or '')[:150]}",
                 detail={"ip": ip_address or "", "path": getattr(request, "path", "")[:200]}, request=request)


def _remember_confirmed(sender, instance, raw=False, **kwargs):
    instance._audit_was_confirmed = (
        not raw and instance.pk is not None
        and sender.objects.filter(pk=instance.pk, confirmed=True).exists()
    )


def _second_factor_recorded(instance, change: str) -> None:
    user = instance.user
    audit_record(action=Action.SECOND_FACTOR, actor=_acting_user() or user,
                 target=f"user:{user.pk} {user.get_username()}",
                 detail={"device": type(instance).__name__, "change": change}, request=_request())


def _second_factor_saved(sender, instance, created, raw=False, **kwargs):
    """An authenticator or a set of recovery codes confirmed (enrolment); not the saves django-otp makes on every
    verification (its counters and throttling)."""
    if not raw and instance.confirmed and not getattr(instance, "_audit_was_confirmed", False):
        _second_factor_recorded(instance, "confirmed")


def _second_factor_deleted(sender, instance, **kwargs):
    _second_factor_recorded(instance, "deleted")


for _device in (TOTPDevice, StaticDevice):
    pre_save.connect(_remember_confirmed, sender=_device, dispatch_uid=f"audit_second_factor_pre_{_device.__name__}")
    post_save.connect(_second_factor_saved, sender=_device, dispatch_uid=f"audit_second_factor_{_device.__name__}")
    post_delete.connect(_second_factor_deleted, sender=_device,
                        dispatch_uid=f"audit_second_factor_deleted_{_device.__name__}")


# --- accounts, groups and permissions ------------------------------------------------------------------------------


@receiver(pre_save, sender=User, dispatch_uid="audit_user_flags_before")
def _remember_flags(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_flags_before = None
        return
    instance._audit_flags_before = User.objects.filter(pk=instance.pk).values(*FLAGS).first()


@receiver(post_save, sender=User, dispatch_uid="audit_user_flags_after")
def _record_flags(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_flags_before", None) or {}
    after = {flag: getattr(instance, flag) for flag in FLAGS}
    if created:
        if not (instance.is_staff or instance.is_superuser):
            return
        changed = {flag: [None, value] for flag, value in after.items()}
    else:
        changed = {flag: [before.get(flag), value] for flag, value in after.items() if before.get(flag) != value}
    if changed:
        audit_record(action=Action.USER_FLAGS, actor=_acting_user(),
                     target=f"user:{instance.pk} {instance.get_username()}",
                     detail={"created": created, "changed": changed}, request=_request())


def _names(model, pks) -> list[str]:
    if not pks:
        return []
    if model is Permission:
        return sorted(f"{app}.{codename}" for app, codename in
                      Permission.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename"))
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(str(name) for name in model.objects.filter(pk__in=pks).values_list(model.USERNAME_FIELD, flat=True))


def _through_fields(through, instance_model) -> tuple[str, str]:
    """The through table's column pointing at the instance, and the one pointing at the other side."""
    fks = [f for f in through._meta.fields if f.is_relation]
    source = next(f for f in fks if issubclass(instance_model, f.related_model))
    other = next(f for f in fks if f is not source)
    return source.attname, other.attname


def _m2m_receiver(audit_action: Action, through, uid: str):
    @receiver(m2m_changed, sender=through, dispatch_uid=uid)
    def _changed(sender, instance, action: str, reverse: bool, model, pk_set, **kwargs):
        if action == "pre_clear":
            # post_clear no longer knows what went: remember it now.
            source, other = _through_fields(sender, type(instance))
            instance._audit_cleared = set(sender.objects.filter(**{source: instance.pk})
                                          .values_list(other, flat=True))
            return
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if action == "post_clear":
            pk_set = getattr(instance, "_audit_cleared", set())
        if not pk_set:
            return
        change = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
        audit_record(
            action=audit_action, actor=_acting_user(), target=instance,
            detail={"change": change, "items": _names(model, pk_set)}, request=_request(),
        )

    return _changed


_user_groups = _m2m_receiver(Action.USER_GROUPS, User.groups.through, "audit_user_groups")
_user_permissions = _m2m_receiver(Action.USER_PERMISSIONS, User.user_permissions.through, "audit_user_permissions")
_group_permissions = _m2m_receiver(Action.GROUP_PERMISSIONS, Group.permissions.through, "audit_group_permissions")


def _wagtail_permission_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    scope = getattr(instance, "page", None) or getattr(instance, "collection", None)
    audit_record(action=Action.GROUP_PERMISSIONS, actor=_acting_user(), target=instance.group,
                 detail={"change": "added" if created else "changed", "permission": str(instance.permission),
                         "scope": str(scope)}, request=_request())


def _wagtail_permission_deleted(sender, instance, **kwargs):
    scope_id = getattr(instance, "page_id", None) or getattr(instance, "collection_id", None)
    audit_record(action=Action.GROUP_PERMISSIONS, actor=_acting_user(), target=f"auth.group:{instance.group_id}",
                 detail={"change": "removed", "permission_id": instance.permission_id, "scope_id": scope_id},
                 request=_request())


for _model in (GroupPagePermission, GroupCollectionPermission):
    post_save.connect(_wagtail_permission_saved, sender=_model, dispatch_uid=f"audit_saved_{_model.__name__}")
    post_delete.connect(_wagtail_permission_deleted, sender=_model, dispatch_uid=f"audit_deleted_{_model.__name__}")


@receiver(post_save, sender=Group, dispatch_uid="audit_group_saved")
def _group_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        audit_record(action=Action.GROUP_PERMISSIONS, actor=_acting_user(), target=instance,
                     detail={"change": "group created"}, request=_request())


@receiver(post_delete, sender=Group, dispatch_uid="audit_group_deleted")
def _group_deleted(sender, instance, **kwargs):
    audit_record(action=Action.GROUP_PERMISSIONS, actor=_acting_user(), target=f"auth.group:{instance.pk} {instance}",
                 detail={"change": "group deleted"}, request=_request())


# --- publishing and workflow (Wagtail) -----------------------------------------------------------------------------


# Wagtail's own log entry carries the user who published (the page_published signal does not); scheduled
# publishing and expiry log their own actions with no user.
PAGE_LOG_ACTIONS = {
    "wagtail.publish": Action.PAGE_PUBLISH,
    "wagtail.publish.scheduled": Action.PAGE_PUBLISH,
    "wagtail.unpublish": Action.PAGE_UNPUBLISH,
    "wagtail.unpublish.scheduled": Action.PAGE_UNPUBLISH,
}


@receiver(post_save, sender=PageLogEntry, dispatch_uid="audit_page_log_entry")
def _page_logged(sender, instance, created, raw=False, **kwargs):
    action = PAGE_LOG_ACTIONS.get(instance.action)
    if not created or raw or action is None:
        return
    audit_record(action=action, actor=instance.user, target=f"page:{instance.page_id} {instance.label}"[:255],
                 detail={"log_action": instance.action, "revision": instance.revision_id}, request=_request())


@receiver(post_save, sender=PasswordHistory, dispatch_uid="audit_password_change")
def _password_changed(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    user = instance.user
    actor = _acting_user() or user
    audit_record(action=Action.PASSWORD_CHANGE, actor=actor, target=f"user:{user.pk} {user.get_username()}",
                 detail={"by": "self" if actor.pk == user.pk else "other"}, request=_request())


# Editors' decisions on popular searches (search.popular logs them as "search.popular.<status>" in Wagtail's log).
MODERATION_LOG_PREFIX = "search.popular."


@receiver(post_save, sender=ModelLogEntry, dispatch_uid="audit_model_log_entry")
def _model_logged(sender, instance, created, raw=False, **kwargs):
    if not created or raw or not instance.action.startswith(MODERATION_LOG_PREFIX):
        return
    data = instance.data or {}
    audit_record(action=Action.SEARCH_MODERATION, actor=instance.user,
                 target=f"popular_query:{instance.object_id} {data.get('text', instance.label)}"[:255],
                 detail={"decision": instance.action.removeprefix(MODERATION_LOG_PREFIX), "from": data.get("from", "")},
                 request=_request())


def _task_decision(action: Action):
    def _decided(sender, instance, user=None, **kwargs):
        workflow_state = instance.workflow_state
        content = workflow_state.content_object
        audit_record(
            action=action, actor=user or _acting_user(),
            target=f"page:{getattr(content, 'pk', '')} {getattr(content, 'title', content)}"[:255],
            detail={"task": instance.task.name, "workflow": workflow_state.workflow.name,
                    "comment": (instance.comment or "")[:500] if hasattr(instance, "comment") else ""},
            request=_request(),
        )

    return _decided


_task_approved = _task_decision(Action.WORKFLOW_APPROVE)
_task_rejected = _task_decision(Action.WORKFLOW_REJECT)
wagtail_signals.task_approved.connect(_task_approved, dispatch_uid="audit_task_approved")
wagtail_signals.task_rejected.connect(_task_rejected, dispatch_uid="audit_task_rejected")


@receiver(wagtail_signals.workflow_submitted, dispatch_uid="audit_workflow_submitted")
def _workflow_submitted(sender, instance, user=None, **kwargs):
    content = instance.content_object
    audit_record(action=Action.WORKFLOW_SUBMIT, actor=user or _acting_user(),
                 target=f"page:{getattr(content, 'pk', '')} {getattr(content, 'title', content)}"[:255],
                 detail={"workflow": instance.workflow.name}, request=_request())


@receiver(wagtail_signals.workflow_cancelled, dispatch_uid="audit_workflow_cancelled")
def _workflow_cancelled(sender, instance, user=None, **kwargs):
    content = instance.content_object
    audit_record(action=Action.WORKFLOW_CANCEL, actor=user or _acting_user(),
                 target=f"page:{getattr(content, 'pk', '')} {getattr(content, 'title', content)}"[:255],
                 detail={"workflow": instance.workflow.name}, request=_request())


# --- 网页防篡改: fingerprint a page (and the columns above it) once its publication is committed -------------------


def _fingerprint_after_commit(sender, instance, **kwargs):
    from audit import tamper

    if getattr(settings, "TAMPER_FINGERPRINT_ON_PUBLISH", True):
        page_id = instance.pk

        def fingerprint_published_page() -> None:
            tamper.page_and_ancestors_fingerprint(page_id=page_id)

        # robust: a page that fails to render must not turn a publish that has happened into an error page. (A named
        # function: Django logs a robust callback's failure by its __qualname__, which a functools.partial lacks, and
        # then raised that AttributeError instead.)
        transaction.on_commit(fingerprint_published_page, robust=True)


wagtail_signals.page_published.connect(_fingerprint_after_commit, dispatch_uid="audit_fingerprint_published")
wagtail_signals.page_unpublished.connect(_fingerprint_after_commit, dispatch_uid="audit_fingerprint_unpublished")
