"""Open data: the data-resource catalog, resources, data API, CKAN and DCAT interfaces."""
