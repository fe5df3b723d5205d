"""Who meets the site guard by default: the dashboard for 终审 (the editor-in-chief's step of the review chain) and
Wagtail's site managers group (Moderators); 终审 alone may let 错别字/禁用词 through to review.

Written against an app registry so the data migration (historical models) and the demo loader (after a database
flush) grant the same."""

from django.apps import apps as global_apps

# group name -> guard permissions it holds by default
DEFAULT_GRANTS: dict[str, tuple[str, ...]] = {
    "终审": ("view_guard_dashboard", "override_wording"),
    "Moderators": ("view_guard_dashboard",),
}
PERMISSION_NAMES = {
    "view_guard_dashboard": ("guardrun", "可查看网站检查"),
    "override_wording": ("wordingoverride", "可终审放行错别字、禁用词"),
}


def ensure_guard_permissions(apps=global_apps) -> None:
    """Grant DEFAULT_GRANTS to the groups that exist (idempotent; a missing group is left alone)."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    permissions = {}
    for codename, (model, name) in PERMISSION_NAMES.items():
        content_type, _ = ContentType.objects.get_or_create(app_label="guard", model=model)
        permissions[codename], _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name})
    for group in Group.objects.filter(name__in=DEFAULT_GRANTS):
        group.permissions.add(*(permissions[codename] for codename in DEFAULT_GRANTS[group.name]))
