"""The participation rules without a database: periods, countdown, 字数, 采纳情况 figures and survey tallies."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from participation import rules
from participation.rules import Adoption, Phase, Question, QuestionKind

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_phase_boundaries():
    closes = rules.default_close(T0)
    assert closes == T0 + dt.timedelta(days=30)
    assert rules.phase_at(opens_at=T0, closes_at=closes, now=T0 - dt.timedelta(seconds=1)) == Phase.UPCOMING
    assert rules.phase_at(opens_at=T0, closes_at=closes, now=T0) == Phase.OPEN
    assert rules.phase_at(opens_at=T0, closes_at=closes, now=closes) == Phase.CLOSED


def test_countdown_reads_in_days_then_minutes():
    assert str(rules.countdown(until=T0 + dt.timedelta(days=2, hours=5), now=T0)) == "2天5小时"
    assert str(rules.countdown(until=T0 + dt.timedelta(minutes=75), now=T0)) == "1小时15分钟"
    assert rules.countdown(until=T0, now=T0) is None


def test_whitespace_does_not_count_as_characters():
    assert rules.character_count("建议 延长\n公示期") == 7


comment = st.tuples(st.sampled_from(Adoption.values), st.sampled_from(["", "适用范围", "时限要求", "其他"]),
                    st.sampled_from(["", "已采纳", "与上位法不一致"]))


@given(st.lists(comment, max_size=60))
def test_feedback_figures_add_up(comments):
    figures = rules.feedback_figures(comments)
    assert figures.comments == len(comments)
    assert figures.adopted + figures.partly + figures.not_adopted <= figures.comments
    assert sum(t.comments for t in figures.themes) == figures.comments
    assert sum(t.adopted for t in figures.themes) == figures.adopted
    assert sum(t.not_adopted for t in figures.themes) == figures.not_adopted
    assert rules.FeedbackFigures.from_json(figures.as_json()) == figures


QUESTIONS = [
    Question(key="a", kind=QuestionKind.SINGLE, text="渠道", options=("网站", "报纸")),
    Question(key="b", kind=QuestionKind.MULTIPLE, text="关注", options=("预算", "采购", "政策")),
    Question(key="c", kind=QuestionKind.SCALE, text="满意度", options=("1", "2", "3", "4", "5")),
    Question(key="d", kind=QuestionKind.TEXT, text="建议", required=False, max_length=10),
]

answers = st.fixed_dictionaries({
    "a": st.sampled_from(["网站", "报纸"]),
    "b": st.lists(st.sampled_from(["预算", "采购", "政策"]), min_size=1, unique=True),
    "c": st.sampled_from(["1", "2", "3", "4", "5"]),
})


@given(st.lists(answers, max_size=40))
def test_each_single_choice_question_counts_every_response_once(responses):
    results = rules.tally(QUESTIONS, responses)
    single, multiple, scale, _text = results
    assert sum(o.count for o in single.options) == len(responses) == single.answered
    assert sum(o.count for o in scale.options) == len(responses)
    assert sum(o.count for o in multiple.options) == sum(len(r["b"]) for r in responses)
    if responses:
        assert 1 <= scale.average <= 5


def test_clean_answers_refuses_what_was_not_offered():
    import pytest

    with pytest.raises(rules.AnswerError, match="请回答：渠道"):
        rules.clean_answers(QUESTIONS, {"b": ["预算"], "c": ["3"]})
    with pytest.raises(rules.AnswerError, match="只能选一项"):
        rules.clean_answers(QUESTIONS, {"a": ["网站", "报纸"], "b": ["预算"], "c": ["3"]})
    with pytest.raises(rules.AnswerError, match="最多 10 个字"):
        rules.clean_answers(QUESTIONS, {"a": ["网站"], "b": ["预算"], "c": ["3"], "d": ["字" * 11]})
    cleaned = rules.clean_answers(QUESTIONS, {"a": ["网站"], "b": ["政策", "预算"], "c": ["3"], "d": [" "]})
    assert cleaned == {"a": "网站", "b": ["预算", "政策"], "c": "3"}
