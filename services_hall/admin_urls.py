"""Back-office URLs, mounted by wagtail_hooks.py at /admin/services-hall/ (behind Wagtail's admin login)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path("applications/", admin_views.ApplicationQueueView.as_view(), name="application_queue"),
    path("applications/export.csv", admin_views.ApplicationExportView.as_view(), name="application_export"),
    path("applications/<id:pk>/", admin_views.ApplicationDetailView.as_view(), name="application_detail"),
    path("applications/<id:pk>/transition/", admin_views.ApplicationTransitionView.as_view(),
         name="application_transition"),
    path("materials/<id:pk>/download/", admin_views.MaterialDownloadView.as_view(), name="material_download"),
    path("letters/", admin_views.LetterQueueView.as_view(), name="letter_queue"),
    path("letters/<id:pk>/", admin_views.LetterDetailView.as_view(), name="letter_detail"),
    path("follow-ups/", admin_views.FollowUpListView.as_view(), name="follow_up_list"),
    path("follow-ups/<id:pk>/", admin_views.FollowUpDetailView.as_view(), name="follow_up_detail"),
]
