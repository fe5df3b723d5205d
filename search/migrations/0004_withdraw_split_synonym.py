"""Withdraw a seeded group whose long form (with 、) split into four loose synonyms (search/seed.py)."""

from django.db import migrations

from search.seed import ensure_seed_synonyms


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms")]

    operations = [migrations.RunPython(lambda apps, schema_editor: ensure_seed_synonyms(apps), migrations.RunPython.noop)]
