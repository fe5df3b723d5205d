"""The default three-step review chain (三审): groups 初审, 复审, 终审 and one workflow of three approvals
assigned at the tree root, so every page inherits it.

Written against an app registry so the data migration (historical models) and the demo loader (after a
database flush) make the same chain.
"""

from django.apps import apps as global_apps

REVIEW_STEPS = ("初审", "复审", "终审")
# Page permissions at the root per step. Wagtail publishes as the last approver, so 终审 must hold
# publish_page (which also lets it publish directly: the last word is 终审's either way).
STEP_PAGE_PERMISSIONS = {
    "初审": ("change_page",),
    "复审": ("change_page",),
    "终审": ("change_page", "publish_page"),
}
WORKFLOW_NAME = "三审（初审、复审、终审）"


def _permission(apps, app_label: str, model: str, codename: str, name: str):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(content_type=content_type, codename=codename,
                                                     defaults={"name": name})
    return permission


def ensure_review_chain(apps=global_apps) -> None:
    """Create the groups, tasks and workflow if missing, and assign the workflow at the root (idempotent)."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
    page_permissions = {
        codename: _permission(apps, "wagtailcore", "page", codename, f"Can {codename.split('_')[0]} page")
        for codename in ("change_page", "publish_page")
    }
    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    root = Page.objects.filter(depth=1).order_by("path").first()

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, step in enumerate(REVIEW_STEPS):
        group, _ = Group.objects.get_or_create(name=step)
        group.permissions.add(access_admin)
        if root is not None:
            for codename in STEP_PAGE_PERMISSIONS[step]:
                GroupPagePermission.objects.get_or_create(group=group, page=root,
                                                          permission=page_permissions[codename])
        task = GroupApprovalTask.objects.filter(name=step).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=step, content_type=task_type, active=True)
        task.groups.add(group)
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": order})

    if root is not None:
        # One workflow per page: the chain replaces Wagtail's single "Moderators approval" at the root.
        link = WorkflowPage.objects.filter(page=root).first()
        previous = link.workflow if link else None
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
        if previous is not None and previous.pk != workflow.pk and not previous.workflow_pages.exists():
            previous.active = False
            previous.save(update_fields=["active"])


def remove_review_chain(apps=global_apps) -> None:
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.GroupApprovalTask").objects.filter(name__in=REVIEW_STEPS).delete()
    apps.get_model("auth.Group").objects.filter(name__in=REVIEW_STEPS).delete()
