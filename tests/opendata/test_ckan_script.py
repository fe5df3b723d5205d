"""scripts/ckan_check.py, the ckanapi check of the CKAN Action API, run against a live server."""

import importlib.util
from pathlib import Path

import pytest

from opendata.rules import OpenType
from tests.content.factories import ThemeFactory
from tests.opendata.factories import BUDGET_CSV, DatasetPageFactory, PublisherFactory, ingested

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ckan_check.py"


def load_script():
    spec = importlib.util.spec_from_file_location("ckan_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ckan_check = load_script()




@pytest.fixture
def catalog(open_data):
    budget = PublisherFactory(name="预算司", slug="budget")
    treasury = PublisherFactory(name="国库司", slug="treasury")
    theme = ThemeFactory(name="预算管理", slug="budget-theme")
    monthly = DatasetPageFactory(parent=open_data, slug="budget-monthly", title="全国一般公共预算收支月度数据",
                                 publisher=budget, theme=theme, summary="按月公布全国一般公共预算收入和支出。")
    monthly.tags.add("预算")
    monthly.save()
    ingested(monthly, BUDGET_CSV.encode())
    DatasetPageFactory(parent=open_data, slug="transfer-payments", title="中央对地方转移支付分地区情况",
                       publisher=treasury, theme=theme, open_type=OpenType.CONDITIONAL, open_condition="用于学术研究",
                       summary="分省份的一般性转移支付和专项转移支付。")
    DatasetPageFactory(parent=open_data, slug="cash-management", title="国库现金管理操作（预算）",
                       publisher=treasury, theme=theme, open_type=OpenType.CLOSED)


def test_the_script_lists_searches_in_chinese_with_facets_and_shows_a_package(live_server, catalog, capsys):
    assert ckan_check.main([live_server.url, "--q", "预算"]) == 0

    out = capsys.readouterr().out
    assert "package_list：2 个数据资源" in out  # the 不予开放 one is not listed
    assert "package_search q=预算：共 1 个" in out
    assert "budget-monthly：全国一般公共预算收支月度数据（预算司）" in out
    assert "分面 organization：预算司 1" in out and "分面 res_format：CSV 1" in out
    assert "package_show budget-monthly：全国一般公共预算收支月度数据" in out
    assert "/download.csv" in out
    assert "通过" in out and "国库现金管理" not in out


def test_the_search_query_and_facets_can_be_chosen(live_server, catalog, capsys):
    assert ckan_check.main([f"{live_server.url}/", "--q", "转移支付", "--facet", "organization"]) == 0

    out = capsys.readouterr().out
    assert "transfer-payments：中央对地方转移支付分地区情况（国库司）" in out
    assert "分面 organization：国库司 1" in out and "res_format" not in out


def test_a_search_that_finds_nothing_fails_the_check(live_server, catalog, capsys):
    assert ckan_check.main([live_server.url, "--q", "现金管理"]) == 1
    assert "没有找到" in capsys.readouterr().err


def test_an_unreachable_portal_fails_the_check(capsys):
    assert ckan_check.main(["http://127.0.0.1:9", "--timeout", "2"]) == 1
    assert "无法连接" in capsys.readouterr().err
