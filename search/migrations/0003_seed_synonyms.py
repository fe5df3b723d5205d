"""Seed the synonym groups citizens need most (search/seed.py)."""

from django.db import migrations

from search.seed import ensure_seed_synonyms, remove_seed_synonyms


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fts")]

    operations = [
        migrations.RunPython(lambda apps, schema_editor: ensure_seed_synonyms(apps),
                             lambda apps, schema_editor: remove_seed_synonyms(apps)),
    ]
