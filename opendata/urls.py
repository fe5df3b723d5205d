"""Open-data URLs outside the page tree (the dataset pages themselves are Wagtail pages)."""

from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("open-data/catalog/", views.catalog, name="catalog"),
    path("open-data/resources/<int:resource_id>/download.<str:fmt>", views.resource_download,
         name="resource_download"),
]
