"""数据使用申请 URLs, mounted by wagtail_hooks.py at /admin/open-data/access/ (behind Wagtail's admin login)."""

from django.urls import path

from opendata import admin_views

urlpatterns = [
    path("", admin_views.ApplicationListView.as_view(), name="list"),
    path("<id:pk>/", admin_views.ApplicationDetailView.as_view(), name="detail"),
    path("keys/<id:pk>/revoke/", admin_views.KeyRevokeView.as_view(), name="key_revoke"),
]
