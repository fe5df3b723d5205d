"""The segmented text beside search_searchentry: an FTS5 table on SQLite, a tsvector column with a GIN index on
PostgreSQL. Neither is a Django field, so each statement runs only on its own database vendor."""

from django.db import migrations

from search.migrations._vendor import VendorSQL

SQLITE_FORWARD = [
    # rowid = search_searchentry.id. unicode61 splits only on spaces and punctuation, so the analyzer's tokens
    # (letters and digits only) arrive in the index exactly as segmented.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]

POSTGRESQL_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector",
    "CREATE INDEX search_entry_vector ON search_searchentry USING GIN (search_vector)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        VendorSQL("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        VendorSQL("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD),
    ]
