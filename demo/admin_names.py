"""Records Wagtail's migrations make with English names, as editors see them in the admin: the page tree's root
and the default review task."""

from wagtail.models import GroupApprovalTask, Page

ROOT_TITLE = "根目录"
# Wagtail's own one-step task, left unused by the 三审 chain (content/review_chain.py).
DEFAULT_TASK_NAME = "默认审核（未使用）"


def name_wagtail_defaults() -> None:
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)
    GroupApprovalTask.objects.filter(name="Moderators approval").update(name=DEFAULT_TASK_NAME)
