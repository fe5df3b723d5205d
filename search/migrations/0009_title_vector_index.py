"""PostgreSQL: what the first pass of a broad search reads (see search.backends.database): a GIN index on the
title-words vector, to find the matches that hold its words in their titles without reading every match, and the
entries of a generation newest first (undated last, then by id), the order it takes them in."""

from django.db import migrations

from search.migrations._vendor import VendorSQL

POSTGRESQL_FORWARD = [
    "CREATE INDEX search_entry_title_vector ON search_searchentry USING GIN (title_vector)",
    "CREATE INDEX search_entry_gen_newest ON search_searchentry (generation, date DESC NULLS LAST, id)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_gen_newest",
    "DROP INDEX IF EXISTS search_entry_title_vector",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0008_merge_title_vector_and_popular_moderation")]

    operations = [VendorSQL("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD)]
