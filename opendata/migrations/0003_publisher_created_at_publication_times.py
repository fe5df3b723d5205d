"""Publishers get a creation time, and datasets that were made live without a publication (the demo builder did
so) get their first and last publication times from their 发布日期, so that CKAN's metadata_created/modified,
the feeds and DCAT have a date for every dataset."""

import datetime as dt

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Min


def _start_of(day: dt.date) -> dt.datetime:
    return django.utils.timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def mend_publication_times(apps, schema_editor):
    DatasetPage = apps.get_model("opendata", "DatasetPage")
    Page = apps.get_model("wagtailcore", "Page")
    Publisher = apps.get_model("opendata", "Publisher")
    for pk, published_on, last in (DatasetPage.objects.filter(first_published_at__isnull=True)
                                   .values_list("pk", "published_on", "last_published_at")):
        first = _start_of(published_on)
        Page.objects.filter(pk=pk).update(first_published_at=first, last_published_at=last or first)
    Page.objects.filter(pk__in=DatasetPage.objects.values("pk"), last_published_at__isnull=True).update(
        last_published_at=models.F("first_published_at"))
    earliest = dict(DatasetPage.objects.order_by().values_list("publisher_id")
                    .annotate(first=Min("first_published_at")))
    for publisher in Publisher.objects.all():
        if earliest.get(publisher.pk) and earliest[publisher.pk] < publisher.created_at:
            Publisher.objects.filter(pk=publisher.pk).update(created_at=earliest[publisher.pk])


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0002_accessapplication_apikey_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="publisher",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="创建时间"),
        ),
        migrations.RunPython(mend_publication_times, migrations.RunPython.noop),
    ]
