"""文件类别 of a policy: what the annual report counts as 规章 or 行政规范性文件. Policies that existed before the
field got it from their column, else from their 发文字号."""

import importlib

import pytest
from django.apps import apps

from content.models import PolicyKind, PolicyPage
from tests.factories import SectionPageFactory

from .factories import PolicyPageFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("content.migrations.0006_policy_kind_from_number_and_column")


@pytest.mark.parametrize(("number", "column", "kind"), [
    ("财政部令第112号", "regulations", "regulation"),
    ("财预〔2025〕3号", "normative", "normative"),
    ("中华人民共和国主席令第十二号", "laws", "law"),
    ("财政部令第98号", "news", "regulation"),  # a column that does not tell: the number does
    ("中华人民共和国国务院令第765号", "news", "law"),
    ("闽财规〔2025〕3号", "news", "normative"),
    ("", "news", "other"),
])
def test_existing_policies_get_their_kind_from_the_column_else_the_number(number, column, kind):
    assert migration.guess(number=number, url_path=f"/home/policies/{column}/some-policy/") == kind


def test_the_data_migration_sets_the_kind_on_the_page_and_its_latest_revision(home):
    policies = SectionPageFactory(parent=home, title="政策发布", slug="policies")
    rules = SectionPageFactory(parent=policies, title="部门规章", slug="regulations")
    page = PolicyPageFactory(parent=rules, document_number="财政部令第112号")
    page.save_revision().publish()
    PolicyPage.objects.filter(pk=page.pk).update(kind=PolicyKind.NORMATIVE)  # as the field's default left it

    migration.forwards(apps, None)

    page = PolicyPage.objects.get(pk=page.pk)
    assert page.kind == PolicyKind.REGULATION
    assert page.get_latest_revision().as_object().kind == PolicyKind.REGULATION
