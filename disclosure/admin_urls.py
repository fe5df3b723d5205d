"""Back-office URLs, mounted by wagtail_hooks.py at /admin/disclosure/ (behind Wagtail's admin login)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="request_queue"),
    path("report/", admin_views.ReportBuildView.as_view(), name="report_build"),
    path("register/", admin_views.RegisterView.as_view(), name="request_register"),
    path("<id:pk>/", admin_views.DetailView.as_view(), name="request_detail"),
    path("<id:pk>/notice.pdf", admin_views.NoticeDownloadView.as_view(), name="notice_download"),
    path("attachments/<id:pk>/", admin_views.AttachmentDownloadView.as_view(), name="attachment_download"),
]
