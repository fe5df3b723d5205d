"""Developer interfaces of the open-data catalog: the data and catalog API (django-ninja, /api/data/v1/), the CKAN
Action API v3 subset (/api/3/action/) and the DCAT catalog (/open-data/catalog.jsonld, .ttl)."""
