# listing_kind offers the column kinds the apps register (portal/registries.py); no change to the table.

import portal.registries
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_sectionpage_listing_kind'),
    ]

    operations = [
        migrations.AlterField(
            model_name='sectionpage',
            name='listing_kind',
            field=models.CharField(blank=True, choices=portal.registries.column_kind_choices, default='', help_text='本栏目列出哪类内容，决定列表的筛选项和订阅源；“全部内容”列出其下所有页面。', max_length=20, verbose_name='列表内容'),
        ),
    ]
