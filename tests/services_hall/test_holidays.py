import datetime as dt

import chinese_calendar

from services_hall.deadlines import add_working_days
from services_hall.models import Holiday
from services_hall.selectors import work_calendar

D = dt.date


def test_holiday_table_is_seeded_with_every_year_chinese_calendar_knows(db):
    assert Holiday.objects.filter(kind="holiday").count() == len(chinese_calendar.holidays)
    assert Holiday.objects.filter(kind="workday").count() == len(chinese_calendar.workdays)
    years = set(Holiday.objects.dates("date", "year").values_list("date__year", flat=True))
    assert {2004, 2025, 2026} <= years


def test_national_day_2025_is_seeded_with_chinese_names(db):
    assert Holiday.objects.get(date=D(2025, 10, 1)).name == "国庆节"
    assert Holiday.objects.get(date=D(2025, 10, 6)).name == "中秋节"
    make_up = Holiday.objects.get(date=D(2025, 9, 28))
    assert make_up.kind == Holiday.Kind.WORKDAY and make_up.name == "国庆节调休上班"


def test_calendar_from_the_table_agrees_with_chinese_calendar(db):
    calendar = work_calendar()
    day = D(2024, 12, 1)
    while day < D(2026, 3, 1):
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_an_edit_in_the_table_reaches_the_next_deadline(db):
    assert add_working_days(D(2027, 9, 30), 1, calendar=work_calendar()) == D(2027, 10, 1)

    Holiday.objects.create(date=D(2027, 10, 1), name="国庆节", kind=Holiday.Kind.HOLIDAY)
    assert add_working_days(D(2027, 9, 30), 1, calendar=work_calendar()) == D(2027, 10, 4)

    Holiday.objects.filter(date=D(2027, 10, 1)).delete()
    assert add_working_days(D(2027, 9, 30), 1, calendar=work_calendar()) == D(2027, 10, 1)


def test_calendar_costs_one_query_once_cached(db, django_assert_num_queries):
    work_calendar()
    with django_assert_num_queries(1):
        work_calendar()


def test_staff_groups_exist_with_admin_access(db):
    from django.contrib.auth.models import Group

    for name in ["受理员", "审核员"]:
        group = Group.objects.get(name=name)
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert {"access_admin", "view_application"} <= codenames
