from django.db import migrations

from content.review_chain import ensure_review_chain, remove_review_chain


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("wagtailcore", "0098_apitoken"),
        ("content", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(lambda apps, schema_editor: ensure_review_chain(apps),
                             lambda apps, schema_editor: remove_review_chain(apps)),
    ]
