"""The shell lists what the apps register: column kinds come from portal/registries.py, not from imports of the apps."""

from portal.models import SectionPage
from portal.registries import column_kind_for


def test_an_editor_chooses_among_the_column_kinds_the_apps_offer():
    choices = SectionPage._meta.get_field("listing_kind").choices

    assert choices == [("", "全部内容"), ("article", "财政新闻"), ("policy", "政策文件"),
                       ("interpretation", "政策解读"), ("procurement", "政府采购公告")]


def test_a_column_of_a_kind_no_app_offers_lists_every_page():
    assert column_kind_for(kind="no-such-kind") is column_kind_for(kind="")
    assert column_kind_for(kind="policy").label == "政策文件"
