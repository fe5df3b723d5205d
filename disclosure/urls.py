"""Public URLs of 依申请公开, mounted at /disclosure/ by portal/urls.py."""

from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("my/<str:tracking_number>/", views.request_detail, name="request_detail"),
    path("my/<str:tracking_number>/submitted/", views.submitted, name="submitted"),
    path("my/<str:tracking_number>/notice.pdf", views.notice_download, name="notice_download"),
    path("my/<str:tracking_number>/files/<id:attachment_id>/", views.attachment_download, name="attachment_download"),
]
