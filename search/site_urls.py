"""Search's URLs at the root of the site (the search API and the OpenSearch description); the search page and its
suggestions are in search.urls, under /search/."""

from django.urls import path

from search import views
from search.api import api

urlpatterns = [
    path("api/search/v1/", api.urls),
    path("opensearch.xml", views.opensearch, name="opensearch"),
]
