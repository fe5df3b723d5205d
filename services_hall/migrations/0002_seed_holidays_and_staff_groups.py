"""Seed the holiday table from chinese-calendar (every year it knows) and create the two staff groups.

Editors keep the table up to date afterwards: each year's schedule is announced late in the year before.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

STAFF_GROUPS = {
    # 受理员 work the intake window; 审核员 review and decide. Both read every case and its history.
    "受理员": ["view_application", "view_applicationmaterial", "view_applicationevent", "view_letter",
             "change_letter", "view_rating", "change_rating"],
    "审核员": ["view_application", "view_applicationmaterial", "view_applicationevent", "view_letter",
             "view_rating"],
}


def seed_holidays(apps, schema_editor):
    import chinese_calendar

    Holiday = apps.get_model("services_hall", "Holiday")
    rows = [
        Holiday(date=day, name=HOLIDAY_NAMES.get(name, name), kind="holiday")
        for day, name in chinese_calendar.holidays.items()
    ] + [
        Holiday(date=day, name=f"{HOLIDAY_NAMES.get(name, name)}调休上班", kind="workday")
        for day, name in chinese_calendar.workdays.items()
    ]
    Holiday.objects.bulk_create(rows, ignore_conflicts=True)


def create_staff_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Model permissions are normally created after all migrations ran; the groups need them now.
    app_config = apps.get_app_config("services_hall")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for name, codenames in STAFF_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            admin_access,
            *Permission.objects.filter(content_type__app_label="services_hall", codename__in=codenames),
        )


def remove_staff_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=STAFF_GROUPS).delete()


def remove_seeded_holidays(apps, schema_editor):
    apps.get_model("services_hall", "Holiday").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("services_hall", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [
        migrations.RunPython(seed_holidays, remove_seeded_holidays),
        migrations.RunPython(create_staff_groups, remove_staff_groups),
    ]
