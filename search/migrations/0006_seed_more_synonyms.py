"""Seed the synonym groups of issue 14: international bodies and meetings, short names of laws and programmes,
department short names (search/seed.py). Editors change them in the admin as any other group."""

from django.db import migrations

from search.seed import ensure_seed_synonyms


class Migration(migrations.Migration):
    dependencies = [("search", "0005_fast_reads")]

    operations = [migrations.RunPython(lambda apps, schema_editor: ensure_seed_synonyms(apps), migrations.RunPython.noop)]
