from django.urls import path

from . import admin_views

app_name = admin_views.NAMESPACE

urlpatterns = [
    path("feedback/", admin_views.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/<int:pk>/", admin_views.FeedbackPublishView.as_view(), name="feedback_publish"),
]
