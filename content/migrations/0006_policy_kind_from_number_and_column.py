"""Sets 文件类别 on the policies that existed before the field: from the column they sit in (法律法规 / 部门规章 /
规范性文件), else from the 发文字号 as the annual report used to guess it (令 → 规章, a number → 行政规范性文件). The
latest revision gets the same value, so the next publish from the admin keeps it."""

from django.db import migrations

COLUMN_KINDS = {"laws": "law", "regulations": "regulation", "normative": "normative"}


def guess(*, number: str, url_path: str) -> str:
    parts = [part for part in url_path.split("/") if part]
    column = parts[-2] if len(parts) >= 2 else ""
    if column in COLUMN_KINDS:
        return COLUMN_KINDS[column]
    if "主席令" in number or "国务院令" in number:
        return "law"
    if "令" in number:
        return "regulation"
    return "normative" if number.strip() else "other"


def forwards(apps, schema_editor):
    PolicyPage = apps.get_model("content", "PolicyPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    policy_type = ContentType.objects.filter(app_label="content", model="policypage").first()
    for page in PolicyPage.objects.only("pk", "document_number", "url_path").iterator():
        kind = guess(number=page.document_number or "", url_path=page.url_path or "")
        PolicyPage.objects.filter(pk=page.pk).update(kind=kind)
        revisions = Revision.objects.filter(content_type=policy_type, object_id=str(page.pk)) if policy_type else []
        for revision in revisions:
            if revision.content.get("kind") != kind:
                revision.content["kind"] = kind
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_policy_kind"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
