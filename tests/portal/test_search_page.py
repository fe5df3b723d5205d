import pytest

from search.indexing import rebuild
from tests.factories import InfoPageFactory, SectionPageFactory


@pytest.fixture
def procurement(home):
    section = SectionPageFactory(parent=home, title="政府采购", slug="procurement")
    InfoPageFactory(parent=section, title="财政部发布政府采购公告")
    InfoPageFactory(parent=section, title="地方政府专项债券发行情况", summary="各地加快债券发行使用。")
    # Pages made by factories inside the test transaction reach the index through a rebuild.
    rebuild()
    return section


def test_searching_a_chinese_word_finds_pages_that_contain_it(client, procurement):
    text = client.get("/search/", {"q": "采购"}).content.decode()

    assert "财政部发布政府<mark>采购</mark>公告" in text
    assert "地方政府专项债券发行情况" not in text


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "a:b", "\x00\x07", "采" * 10_000, "AND OR"])
def test_odd_queries_get_an_answer_not_an_error(client, procurement, query):
    assert client.get("/search/", {"q": query}).status_code == 200


def test_nothing_found_suggests_what_to_try(client, procurement):
    text = client.get("/search/", {"q": "不存在的词语"}).content.decode()

    assert "没有找到" in text
