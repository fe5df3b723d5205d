"""Popular searches are moderated: existing queries wait for an editor (待审核, not shown) except those editors had
hidden, which become 已屏蔽; distinct visitors are counted by a hashed key in QuerySighting."""

import django.utils.timezone
from django.db import migrations, models


def hidden_to_status(apps, schema_editor):
    PopularQuery = apps.get_model("search", "PopularQuery")
    PopularQuery.objects.using(schema_editor.connection.alias).filter(hidden=True).update(status="blocked")


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0006_seed_more_synonyms'),
    ]

    operations = [
        migrations.CreateModel(
            name='QuerySighting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=100, verbose_name='搜索词')),
                ('visitor', models.CharField(max_length=64, verbose_name='访客标识（散列）')),
                ('seen_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
            ],
            options={
                'verbose_name': '搜索词访客记录',
                'verbose_name_plural': '搜索词访客记录',
            },
        ),
        migrations.AddField(
            model_name='popularquery',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='审核时间'),
        ),
        migrations.AddField(
            model_name='popularquery',
            name='decided_by',
            field=models.CharField(blank=True, max_length=150, verbose_name='审核人'),
        ),
        migrations.AddField(
            model_name='popularquery',
            name='status',
            field=models.CharField(choices=[('pending', '待审核'), ('allowed', '已允许'), ('blocked', '已屏蔽')], db_index=True, default='pending', max_length=10, verbose_name='审核状态'),
        ),
        migrations.AddField(
            model_name='popularquery',
            name='visitors',
            field=models.PositiveIntegerField(default=0, help_text='统计期内搜索此词并找到结果的不同访客数（访客以加盐散列标识，不保存 IP 地址）。', verbose_name='近期不同访客数'),
        ),
        migrations.RunPython(hidden_to_status, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name='popularquery',
            name='search_popular_hidden_count',
        ),
        migrations.RemoveField(
            model_name='popularquery',
            name='hidden',
        ),
        migrations.AlterField(
            model_name='popularquery',
            name='count',
            field=models.PositiveIntegerField(default=0, verbose_name='有结果的搜索次数'),
        ),
        migrations.AddIndex(
            model_name='popularquery',
            index=models.Index(fields=['status', '-count'], name='search_popular_status_count'),
        ),
        migrations.AddConstraint(
            model_name='querysighting',
            constraint=models.UniqueConstraint(fields=('text', 'visitor'), name='search_sighting_text_visitor'),
        ),
    ]
