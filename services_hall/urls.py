"""Public URLs of the services hall, mounted at /hall/ by portal/urls.py."""

from django.urls import path

from . import views

app_name = "services_hall"

urlpatterns = [
    path("inquiry/", views.inquiry, name="inquiry"),
]
