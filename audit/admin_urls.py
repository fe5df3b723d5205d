"""Mounted by wagtail_hooks.py at /admin/audit/ (behind Wagtail's admin login)."""

from django.urls import path

from audit import views

urlpatterns = [
    path("", views.AuditView.as_view(), name="list"),
    path("export.csv", views.AuditExportView.as_view(), name="export"),
]
