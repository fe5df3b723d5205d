from django.db import migrations

from guard.permissions import ensure_guard_permissions


class Migration(migrations.Migration):
    """网站检查 for 终审 and the site managers (Moderators) by default, not only for superusers."""

    dependencies = [
        ("guard", "0003_wordingoverride"),
        ("content", "0004_final_review_publishes"),  # makes the 终审 group
        ("wagtailcore", "0002_initial_data"),  # makes Moderators
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(lambda apps, schema_editor: ensure_guard_permissions(apps),
                                       migrations.RunPython.noop)]
