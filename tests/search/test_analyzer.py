from search import analyzer
from search.analyzer import index_tokens, normalize, query_tokens, sub_tokens


def test_full_width_becomes_half_width_and_lower_case():
    assert normalize("ＰＰＰ项目１２３") == "ppp项目123"
    assert query_tokens("ＧＤＰ增长") == ["gdp", "增长"]


def test_ascii_runs_are_tokens_of_their_own():
    assert query_tokens("PPP项目GDP增长6.5%") == ["ppp", "项目", "gdp", "增长", "6", "5"]
    assert query_tokens("2025年预算") == ["2025", "年", "预算"]


def test_punctuation_and_query_syntax_are_dropped():
    assert query_tokens('"采购" AND (公告)*') == ["采购", "and", "公告"]
    assert query_tokens("！？。，、") == []


def test_finance_dictionary_terms_stay_whole():
    assert query_tokens("政府和社会资本合作项目") == ["政府和社会资本合作", "项目"]
    assert query_tokens("国库集中支付制度") == ["国库集中支付", "制度"]
    assert query_tokens("地方政府专项债券发行") == ["地方政府专项债券", "发行"]
    assert "专项债券" in index_tokens("地方政府专项债券发行")


def test_index_time_search_mode_also_yields_the_words_inside():
    tokens = index_tokens("财政部发布政府采购公告")

    assert {"政府采购公告", "政府采购", "政府", "采购", "公告", "财政部", "财政"} <= set(tokens)


def test_query_time_precise_mode_keeps_the_longest_words():
    assert query_tokens("政府采购公告") == ["政府采购公告"]
    assert sub_tokens("政府采购公告") == ["政府采购", "公告"]
    assert sub_tokens("国库集中支付")[0] == "国库"


def test_characters_no_inner_word_covers_are_indexed_so_parts_still_match():
    assert set(sub_tokens("减税降费")) <= set(index_tokens("减税降费"))


def test_stop_words_are_dropped_from_queries_unless_nothing_else_is_left():
    assert query_tokens("预算的编制") == ["预算", "编制"]
    assert query_tokens("的") == ["的"]


def test_the_version_names_the_dictionary(tmp_path, monkeypatch):
    changed = tmp_path / "finance.txt"
    changed.write_text(analyzer.DICTIONARY_PATH.read_text(encoding="utf-8") + "\n新词条\n", encoding="utf-8")
    monkeypatch.setattr(analyzer, "DICTIONARY_PATH", changed)

    assert analyzer._version() != analyzer.ANALYZER_VERSION
    assert analyzer.ANALYZER_VERSION.startswith(f"{analyzer.CODE_VERSION}-")


def test_the_dictionary_is_lower_case_and_has_hundreds_of_terms():
    terms = [term for term, _ in analyzer.dictionary_terms()]

    assert len(terms) >= 300
    assert all(term == term.lower() for term in terms)
    assert {"政府和社会资本合作", "国库集中支付", "转移支付", "专项债券", "一般公共预算", "政府采购", "减税降费"} <= set(terms)


def test_no_seeded_synonym_group_splits_into_loose_terms(db):
    # 、 separates the terms of a group; a seeded long form containing it would search its pieces separately.
    from search.seed import SEED_GROUPS
    from search.models import Synonym

    assert all("、" not in term and "，" not in term and "," not in term for group in SEED_GROUPS for term in group)
    assert not Synonym.objects.filter(terms__contains="公务接待费").exists()


def test_traditional_characters_are_folded_to_simplified_one_for_one():
    from search.analyzer import normalize

    assert normalize("預決算公開") == "预决算公开"
    assert len(normalize("國庫集中支付")) == len("國庫集中支付")
    assert query_tokens("預決算公開") == query_tokens("预决算公开")


def test_question_and_function_words_never_decide_a_match():
    from search.analyzer import is_soft

    tokens = query_tokens("怎样办理注册会计师注册")
    assert "怎样" not in tokens and "注册会计师" in tokens
    assert is_soft("办理")
    assert query_tokens("什么") == ["什么"]  # nothing else typed: kept


def test_titles_are_indexed_with_their_pinyin_and_initials():
    from search.analyzer import title_index_text

    tokens = title_index_text("国库集中支付").split()
    assert {"0pguoku", "0igk", "0pguokujizhongzhifu", "0igkjzzf"} <= set(tokens)
    # A character with several readings is spelled both ways (财会 is caikuai; people type caihui).
    assert {"0pcaikuai", "0pcaihui"} <= set(title_index_text("财会监督").split())


def test_the_words_a_pinyin_query_spells_are_found_in_the_title_as_written():
    from search.analyzer import words_spelled

    assert words_spelled("国库集中支付电子化管理", {"0pguoku"}) == ["国库"]
    assert words_spelled("国库集中支付电子化管理", {"0igkjzzf"}) == ["国库集中支付"]
    assert words_spelled("财会监督", {"0pcaihui"}) == ["财会"]  # the other reading of 会 too
    # Two words spelled together but parted by punctuation: both are given.
    assert set(words_spelled("關於國庫、集中支付的通知", {"0igkjz"})) >= {"国库", "集中"}
    assert words_spelled("国库集中支付电子化管理", {"0pcaizheng"}) == []


def test_the_fold_table_is_opencc_t2s_character_by_character():
    """search/dictionary/t2s_chars.txt (read by workers instead of loading OpenCC) says what OpenCC says; after an
    OpenCC upgrade: .venv/bin/python -c 'from search.analyzer import write_fold_table; write_fold_table()'."""
    analyzer._fold_table.cache_clear()
    assert analyzer._fold_table() == analyzer.fold_table_from_opencc()
    assert analyzer.normalize("預決算公開 國庫集中支付") == "预决算公开 国库集中支付"


def test_a_web_worker_folds_without_opencc():
    import subprocess
    import sys

    script = "import sys\nfrom search.analyzer import normalize\nprint(normalize('財政電子票據'), 'opencc' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          cwd=analyzer.DICTIONARY_PATH.parents[2])
    assert done.stdout.split() == ["财政电子票据", "False"]
