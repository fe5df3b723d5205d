"""Admin: publishers as snippets, resource upload and import, the guard that keeps 涉密 datasets unpublished, and
数据使用申请 (approve or refuse access to 有条件开放 data, revoke keys)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import include, path, reverse_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from opendata import admin_urls, admin_views, rules
from opendata.forms import ResourceForm
from opendata.ingest import IngestError, resource_ingest
from opendata.models import DatasetPage, Publisher, Resource
from opendata.rules import ResourceStatus

# Multipart overhead on top of the file itself before a request counts as over the limit.
FORM_OVERHEAD_BYTES = 1024 * 1024


class PublisherViewSet(SnippetViewSet):
    model = Publisher
    icon = "group"
    menu_label = "数据提供方"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "department", "contact"]
    search_fields = ["name", "slug"]


register_snippet(PublisherViewSet)


class UploadMixin:
    """Import the uploaded file with the save; an import error becomes a form error naming the row and column."""

    def post(self, request, *args, **kwargs):
        # Refuse an oversized upload from its Content-Length, before Django reads the body.
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        limit = settings.OPENDATA_UPLOAD_MAX_BYTES
        if length > limit + FORM_OVERHEAD_BYTES:
            messages.error(request, f"上传的文件超过 {limit // 1024 // 1024} MB 的上限，未导入。请拆分后分别上传。")
            return redirect(request.get_full_path())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.form = form
        upload = form.cleaned_data.get("upload")
        try:
            with transaction.atomic():
                self.object = self.save_instance()
                if upload is not None:
                    resource_ingest(resource=self.object, upload=upload, filename=upload.name)
                elif form.cleaned_data.get("reingest"):
                    resource_ingest(resource=self.object)
        except IngestError as error:
            if self.object.pk and Resource.objects.filter(pk=self.object.pk).exists():
                Resource.objects.filter(pk=self.object.pk).update(status=ResourceStatus.FAILED,
                                                                  error_message=error.message)
            form.add_error("upload" if upload is not None else "reingest", f"导入失败，原有数据保持不变：{error.message}")
            self.produced_error_message = "数据文件导入失败，请按提示修改文件后重新上传。"
            return self.form_invalid(form)
        self.object.refresh_from_db()
        if upload is not None or form.cleaned_data.get("reingest"):
            messages.success(self.request, f"“{self.object.name}”已导入 {self.object.row_count} 行。")
        return redirect(self.get_success_url())


class ResourceCreateView(UploadMixin, CreateView):
    pass


class ResourceEditView(UploadMixin, EditView):
    pass


class ResourceViewSet(ModelViewSet):
    model = Resource
    icon = "table"
    menu_label = "数据文件"
    menu_order = 320
    add_to_admin_menu = True
    add_view_class = ResourceCreateView
    edit_view_class = ResourceEditView
    list_display = ["name", "dataset", "format", "row_count", "status", "error_message", "ingested_at"]
    list_filter = ["format", "status"]
    search_fields = ["name", "original_name"]
    edit_handler = ObjectList(
        [
            FieldPanel("dataset"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("sort_order")]),
            FieldPanel("description"),
            FieldPanel("upload"),
            FieldPanel("reingest"),
            FieldRowPanel([FieldPanel("format", read_only=True), FieldPanel("encoding", read_only=True),
                           FieldPanel("row_count", read_only=True)]),
            FieldRowPanel([FieldPanel("status", read_only=True), FieldPanel("ingested_at", read_only=True)]),
            FieldPanel("error_message", read_only=True),
        ],
        base_form_class=ResourceForm,
    )


@hooks.register("register_admin_viewset")
def register_resource_viewset():
    return ResourceViewSet("opendata_resources")


@hooks.register("before_publish_page")
def refuse_classified_datasets(request, page):
    """涉密 datasets are never published, whichever way the editor tries."""
    specific = page if isinstance(page, DatasetPage) else page.specific_deferred
    if isinstance(specific, DatasetPage) and not rules.can_publish(classification=specific.classification):
        messages.error(request, rules.PUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


# --- 数据使用申请: approve or refuse access to 有条件开放 data, revoke keys ------------------------------------


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_review(request.user)


@hooks.register("register_admin_urls")
def register_access_urls():
    return [path("open-data/access/", include((admin_urls, admin_views.NAMESPACE), namespace=admin_views.NAMESPACE))]


@hooks.register("register_admin_menu_item")
def register_access_menu_item():
    return ReviewMenuItem("数据使用申请", reverse_lazy(f"{admin_views.NAMESPACE}:list"), name="opendata-access",
                          icon_name="key", order=330)


@hooks.register("construct_homepage_panels")
def add_data_desk(request, panels):
    """The data staff's desk: 数据使用申请 waiting for a decision, the earliest first."""
    from django.utils import timezone

    from opendata import rules
    from opendata.models import AccessApplication
    from portal.desks import DeskItem, DeskList, DeskPanel, waited

    if not admin_views.may_review(request.user):
        return
    now = timezone.now()
    waiting = (AccessApplication.objects.filter(status=rules.AccessStatus.PENDING).select_related("dataset")
               .order_by("submitted_at", "pk")[:10])
    items = [DeskItem(f"{application.organisation} 申请“{application.dataset.title}”",
                      admin_views.admin_url("detail", application.pk), waited(application.submitted_at, now=now),
                      urgent=(now - application.submitted_at).days >= 5)
             for application in waiting]
    panels.append(DeskPanel(name="data", heading="数据开放工作台", order=12, lists=[
        DeskList("待审批的数据使用申请", items, empty="没有待审批的申请", more_url=admin_views.admin_url("list")),
    ]))
