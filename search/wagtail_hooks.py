"""Editors manage synonyms and moderate popular searches (设置 › 搜索同义词 / 热门搜索): a candidate is shown in
大家都在搜 and in suggestions only once allowed; blocked ones never again. Decisions are bulk actions on the list."""

from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from search.models import PopularQuery, PopularStatus, Synonym
from search.popular import DECISION_ACTIONS, popular_query_decide


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = "搜索同义词"
    add_to_settings_menu = True
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["terms", "note"]


class CandidatesOnlyPolicy(ModelPermissionPolicy):
    """Candidates come only from what visitors searched: nobody adds one by hand (nor edits its text), and nobody
    deletes one, so a blocked query stays blocked (deleted, it could come back as a new candidate)."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)


register_permission_policy(PopularQuery, CandidatesOnlyPolicy(PopularQuery), exact_class=True)


class PopularQueryViewSet(SnippetViewSet):
    model = PopularQuery
    icon = "list-ol"
    menu_label = "热门搜索"
    add_to_settings_menu = True
    list_display = ["text", "status", "visitors", "count", "last_searched_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["text"]


class PopularDecision(SnippetBulkAction):
    """允许 / 屏蔽 / 退回待审核 the selected candidates."""

    models = [PopularQuery]
    status: PopularStatus
    template_name = "search/confirm_popular_decision.html"

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", snippet)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"decision": self.display_name, "status": self.status}

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return popular_query_decide(queries=objects, status=cls.status, actor=user), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d 个搜索词已%(decision)s。", "%(count)d 个搜索词已%(decision)s。",
                        num_parent_objects) % {"count": num_parent_objects, "decision": self.display_name}


@hooks.register("register_bulk_action")
class AllowPopular(PopularDecision):
    display_name = "允许显示"
    action_type = "allow_popular"
    aria_label = "允许所选搜索词显示在热门搜索和搜索建议中"
    status = PopularStatus.ALLOWED
    action_priority = 10


@hooks.register("register_bulk_action")
class BlockPopular(PopularDecision):
    display_name = "屏蔽"
    action_type = "block_popular"
    aria_label = "屏蔽所选搜索词，今后不再显示"
    status = PopularStatus.BLOCKED
    action_priority = 20
    classes = {"serious"}


@hooks.register("register_bulk_action")
class PendPopular(PopularDecision):
    display_name = "退回待审核"
    action_type = "pend_popular"
    aria_label = "将所选搜索词退回待审核（不显示）"
    status = PopularStatus.PENDING
    action_priority = 30


@hooks.register("register_log_actions")
def popular_decision_log_actions(actions):
    labels = {PopularStatus.ALLOWED: "热门搜索：允许显示", PopularStatus.BLOCKED: "热门搜索：屏蔽",
              PopularStatus.PENDING: "热门搜索：退回待审核"}
    for status, action in DECISION_ACTIONS.items():
        actions.register_action(action, labels[status], labels[status])


register_snippet(SynonymViewSet)
register_snippet(PopularQueryViewSet)
