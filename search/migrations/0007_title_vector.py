"""PostgreSQL: a small title-words tsvector beside the full one, kept in the entry's row (STORAGE MAIN), and the
wide values (body, full tsvector) moved out of line (toast_tuple_target), so that a search can count facets
over every match and pick its best candidates by title without unpacking each match's full vector (see
search.backends.database: the first pass). Filled from the title lexemes (weight A) already indexed."""

from django.db import migrations

from search.migrations._vendor import VendorSQL

POSTGRESQL_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN title_vector tsvector",
    "ALTER TABLE search_searchentry ALTER COLUMN title_vector SET STORAGE MAIN",
    # A row (its title vector included) is about 400 bytes once its body and full vector are out of line.
    "ALTER TABLE search_searchentry SET (toast_tuple_target = 1024)",
    # The title lexemes (weight A) but the pinyin ones (0p…, 0i…), as search.backends.database writes them.
    "UPDATE search_searchentry SET title_vector = ts_delete(ts_filter(search_vector, '{a}'), "
    "ARRAY(SELECT u.lexeme FROM unnest(search_vector) u WHERE u.lexeme ~ '^0[pi]')), body = body || '' "
    "WHERE search_vector IS NOT NULL",
]
POSTGRESQL_BACKWARD = [
    "ALTER TABLE search_searchentry RESET (toast_tuple_target)",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS title_vector",
]


class Migration(migrations.Migration):
    dependencies = [("search", "0006_seed_more_synonyms")]

    operations = [VendorSQL("postgresql", POSTGRESQL_FORWARD, POSTGRESQL_BACKWARD)]
