"""Faster reads for the database backend: the index revision cached results are keyed by, and (SQLite) one
covering index holding what facets and ranking read of an entry, so a search never reads an entry's row (whose
body spills over several pages) for each match."""

from django.db import migrations, models

import search.models
from search.migrations._vendor import VendorSQL

COVERING_INDEX = "search_entry_reading"  # named in search.backends.database's queries


class Migration(migrations.Migration):
    dependencies = [("search", "0004_withdraw_split_synonym")]

    operations = [
        migrations.AddField(
            model_name="indexstate",
            name="revision",
            field=models.CharField(default=search.models.new_revision, editable=False, max_length=32,
                                   verbose_name="修订标识"),
        ),
        VendorSQL(
            "sqlite",
            [f"CREATE INDEX {COVERING_INDEX} ON search_searchentry "
             "(id, generation, type, department, year, region, date, doc_id)"],
            [f"DROP INDEX IF EXISTS {COVERING_INDEX}"],
        ),
    ]
