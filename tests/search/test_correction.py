"""Homophone and variant-character correction (search.correction): from the index's own vocabulary only."""

from collections import Counter

from search.correction import Vocabulary, correct, title_vocabulary

TITLES = ["国库集中支付电子化管理", "代理记账资格审批", "资产评估执业质量检查办法", "财会监督工作会议",
          "2026年全国彩票公益金使用管理工作座谈会", "注册会计师注册", "三公经费预算情况说明"]


def vocab() -> Vocabulary:
    return Vocabulary(title_vocabulary(TITLES))


def test_a_homophone_slip_becomes_the_word_of_the_index():
    v = vocab()
    assert correct("国库集中支附", v) == "国库集中支付"
    assert correct("资产评古", v) == "资产评估"
    assert correct("注册会记师", v) == "注册会计师"  # 会 read kuai in 会计


def test_a_variant_character_becomes_the_one_the_index_uses():
    assert correct("代理记帐", vocab()) == "代理记账"


def test_sounds_often_confused_are_forgiven():
    assert correct("彩票公益经", vocab()) == "彩票公益金"  # jing for jin


def test_words_the_index_knows_and_question_words_are_left_alone():
    v = vocab()
    for query in ["国库集中支付", "三公经费预算是多少", "怎样办理注册会计师注册", "代理记账资格怎么申请", "PPP"]:
        assert correct(query, v) == query


def test_the_most_frequent_candidate_wins():
    v = Vocabulary(Counter({"采购": 5, "彩购": 0}) | title_vocabulary([]))
    assert v.homophone("菜购") == "采购"
