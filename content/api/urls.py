"""The content API's URLs, for the root URLconf to include at /api/v1/ (it names no app: portal sits below content)."""

from django.urls import path

from content.api.endpoints import api

urlpatterns = [path("", api.urls)]
