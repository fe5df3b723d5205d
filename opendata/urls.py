"""Open-data URLs outside the page tree (the dataset pages themselves are Wagtail pages)."""

from django.urls import path

from opendata import feeds, views
from opendata.api import ckan
from opendata.api.data import api as data_api

app_name = "opendata"


def dcat_catalog(request, fmt: str):
    """The DCAT catalog (opendata.api.dcat), imported by its first request: rdflib costs a worker 19 MB."""
    from opendata.api import dcat

    return dcat.catalog(request, fmt)


urlpatterns = [
    path("open-data/catalog/", views.catalog, name="catalog"),
    path("open-data/resources/<id:resource_id>/download.<str:fmt>", views.resource_download,
         name="resource_download"),
    path("open-data/datasets/<id:dataset_id>/apply/", views.access_apply, name="access_apply"),
    path("open-data/datasets/<id:dataset_id>/apply/sent/", views.access_apply_sent, name="access_apply_sent"),
    path("open-data/datasets/<id:dataset_id>/viewed/", views.dataset_viewed, name="dataset_viewed"),
    path("open-data/catalog.<str:fmt>", dcat_catalog, name="dcat_catalog"),
    path("open-data/feed/<str:fmt>/", feeds.dataset_feed, name="dataset_feed"),
    path("api/data/v1/", data_api.urls),
    # CKAN serves its Action API both with and without the version (ckanapi's RemoteCKAN uses /api/action/).
    path("api/3/action/<str:action>", ckan.action, name="ckan_action"),
    path("api/action/<str:action>", ckan.action, name="ckan_action_unversioned"),
]
