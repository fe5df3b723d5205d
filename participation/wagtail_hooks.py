"""The 公众参与 menu: moderating comments and questions, the transcript's turns, and 意见采纳情况. Every save goes
through services.py (lock + event row), not straight to the model."""

from django.core.exceptions import ValidationError
from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_urls, admin_views, services
from .models import ConsultationComment, InterviewQuestion, InterviewTurn


class NoAddPolicy(ModelPermissionPolicy):
    """What the public submits is moderated here, never made up here."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(ConsultationComment, NoAddPolicy(ConsultationComment))
register_permission_policy(InterviewQuestion, NoAddPolicy(InterviewQuestion))


class ServiceEditView(EditView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        return self.form_invalid(form)


class CommentEditView(ServiceEditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.comment_moderate(comment=self.object, actor=self.request.user, status=data["status"],
                                         adoption=data["adoption"], theme=data["theme"], reason=data["reason"])


class CommentViewSet(ModelViewSet):
    model = ConsultationComment
    icon = "comment"
    menu_label = "意见审核"
    form_fields = ["status", "adoption", "theme", "reason"]
    list_display = ["body", "consultation", "status", "adoption", "submitted_at"]
    list_filter = ["status", "adoption"]
    search_fields = ["body", "name"]
    ordering = ["status", "-submitted_at"]
    edit_view_class = CommentEditView
    inspect_view_enabled = True


class QuestionEditView(ServiceEditView):
    def save_instance(self):
        return services.question_moderate(question=self.object, actor=self.request.user,
                                          status=self.form.cleaned_data["status"])


class QuestionViewSet(ModelViewSet):
    model = InterviewQuestion
    icon = "help"
    menu_label = "访谈提问审核"
    form_fields = ["status"]
    list_display = ["body", "interview", "status", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["body"]
    edit_view_class = QuestionEditView
    inspect_view_enabled = True


class TurnCreateView(CreateView):
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        return self.form_invalid(form)

    def save_instance(self):
        data = self.form.cleaned_data
        return services.turn_add(interview=data["interview"], actor=self.request.user, speaker=data["speaker"],
                                 text=data["text"], guest=data.get("guest"), netizen_name=data.get("netizen_name", ""),
                                 said_at=data.get("said_at"))


class TurnViewSet(ModelViewSet):
    model = InterviewTurn
    icon = "openquote"
    menu_label = "访谈实录"
    form_fields = ["interview", "speaker", "guest", "netizen_name", "text", "said_at"]
    list_display = ["text", "interview", "speaker", "said_at"]
    list_filter = ["speaker"]
    ordering = ["-said_at"]
    add_view_class = TurnCreateView


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_publish_feedback(request.user)


class ParticipationGroup(ViewSetGroup):
    menu_label = "公众参与"
    menu_icon = "group"
    menu_order = 170
    items = (CommentViewSet("participation_comments"), QuestionViewSet("participation_questions"),
             TurnViewSet("participation_turns"))


@hooks.register("register_admin_viewset")
def register_participation_viewsets():
    return ParticipationGroup()


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [path("participation/", include((admin_urls, admin_views.NAMESPACE), namespace=admin_views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return FeedbackMenuItem("意见采纳情况", reverse_lazy(f"{admin_views.NAMESPACE}:feedback_list"),
                            name="participation-feedback", icon_name="doc-full", order=175)
