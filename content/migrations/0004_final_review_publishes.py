from django.db import migrations

from content.review_chain import ensure_review_chain


class Migration(migrations.Migration):
    """终审 publishes: Wagtail publishes as the last approver, who needs publish_page."""

    dependencies = [("content", "0003_list_indexes")]

    operations = [migrations.RunPython(lambda apps, schema_editor: ensure_review_chain(apps), migrations.RunPython.noop)]
