"""The participation rules as data and pure functions: when a consultation or survey takes input, what an interview's
state is, how many characters a comment may have, and how answers and 采纳情况 are counted. No database here."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models

DEFAULT_CONSULTATION_DAYS = 30  # 公开征求意见的期限一般不少于30日


class Phase(models.TextChoices):
    UPCOMING = "upcoming", "未开始"
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class InterviewPhase(models.TextChoices):
    UPCOMING = "upcoming", "预告"
    LIVE = "live", "直播中"
    ARCHIVED = "archived", "往期回顾"


class Moderation(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "不予显示"


class Adoption(models.TextChoices):
    UNDECIDED = "", "未处理"
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "未采纳"


class Speaker(models.TextChoices):
    HOST = "host", "主持人"
    GUEST = "guest", "嘉宾"
    NETIZEN = "netizen", "网友"


def default_close(opens_at: dt.datetime) -> dt.datetime:
    """A consultation's end when the editor leaves it empty: 30 days after it opens."""
    return opens_at + dt.timedelta(days=DEFAULT_CONSULTATION_DAYS)


def phase_at(*, opens_at: dt.datetime, closes_at: dt.datetime, now: dt.datetime) -> Phase:
    """Open from `opens_at` (inclusive) to `closes_at` (exclusive)."""
    if now < opens_at:
        return Phase.UPCOMING
    if now < closes_at:
        return Phase.OPEN
    return Phase.CLOSED


def interview_phase_at(*, starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> InterviewPhase:
    if now < starts_at:
        return InterviewPhase.UPCOMING
    if now < ends_at:
        return InterviewPhase.LIVE
    return InterviewPhase.ARCHIVED


@dataclass(frozen=True)
class Countdown:
    days: int
    hours: int
    minutes: int

    def __str__(self) -> str:
        if self.days:
            return f"{self.days}天{self.hours}小时"
        return f"{self.hours}小时{self.minutes}分钟"


def countdown(*, until: dt.datetime, now: dt.datetime) -> Countdown | None:
    """What is left until `until`, or None once it has passed."""
    left = until - now
    if left.total_seconds() <= 0:
        return None
    minutes = int(left.total_seconds() // 60)
    return Countdown(days=minutes // 1440, hours=minutes % 1440 // 60, minutes=minutes % 60)


def character_count(text: str) -> int:
    """Characters as a reader counts them (字数): whitespace does not count."""
    return sum(1 for char in text if not char.isspace())


# --- 意见采纳情况 ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeTally:
    theme: str
    comments: int
    adopted: int
    partly: int
    not_adopted: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FeedbackFigures:
    comments: int
    adopted: int
    partly: int
    not_adopted: int
    themes: tuple[ThemeTally, ...] = field(default=())

    def as_json(self) -> dict:
        return {"comments": self.comments, "adopted": self.adopted, "partly": self.partly,
                "not_adopted": self.not_adopted,
                "themes": [{"theme": t.theme, "comments": t.comments, "adopted": t.adopted, "partly": t.partly,
                            "not_adopted": t.not_adopted, "reasons": list(t.reasons)} for t in self.themes]}

    @classmethod
    def from_json(cls, data: Mapping) -> FeedbackFigures:
        themes = tuple(ThemeTally(theme=t["theme"], comments=t["comments"], adopted=t["adopted"], partly=t["partly"],
                                  not_adopted=t["not_adopted"], reasons=tuple(t["reasons"]))
                       for t in data.get("themes", ()))
        return cls(comments=data["comments"], adopted=data["adopted"], partly=data["partly"],
                   not_adopted=data["not_adopted"], themes=themes)


NO_THEME = "其他"


def feedback_figures(comments: Iterable[tuple[str, str, str]]) -> FeedbackFigures:
    """采纳情况 from (adoption, theme, reason) of every valid comment (rejected ones are not passed in).

    Every comment counts once in `comments`; the three outcomes count only the comments decided, so
    adopted + partly + not_adopted <= comments, and the themes add up to the totals.
    """
    totals: Counter = Counter()
    by_theme: dict[str, Counter] = {}
    reasons: dict[str, list[str]] = {}
    for adoption, theme, reason in comments:
        theme = theme.strip() or NO_THEME
        tally = by_theme.setdefault(theme, Counter())
        for counter in (totals, tally):
            counter["comments"] += 1
            if adoption:
                counter[adoption] += 1
        reason = reason.strip()
        if reason and reason not in reasons.setdefault(theme, []):
            reasons[theme].append(reason)
    themes = tuple(
        ThemeTally(theme=theme, comments=tally["comments"], adopted=tally[Adoption.ADOPTED],
                   partly=tally[Adoption.PARTLY], not_adopted=tally[Adoption.NOT_ADOPTED],
                   reasons=tuple(reasons.get(theme, ())))
        for theme, tally in sorted(by_theme.items(), key=lambda item: (-item[1]["comments"], item[0]))
    )
    return FeedbackFigures(comments=totals["comments"], adopted=totals[Adoption.ADOPTED],
                           partly=totals[Adoption.PARTLY], not_adopted=totals[Adoption.NOT_ADOPTED], themes=themes)


# --- 网上调查 ---------------------------------------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    SCALE = "scale", "量表"
    TEXT = "text", "填空"


@dataclass(frozen=True)
class Question:
    """One question of a survey as the rules see it (built from the StreamField block)."""

    key: str
    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()  # the choices; for a scale, "1" … "n"
    required: bool = True
    max_length: int = 500
    low_label: str = ""  # a scale's meaning of its lowest and highest points
    high_label: str = ""


class AnswerError(ValueError):
    """An answer that cannot be stored, with the message for the person who gave it."""

    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


def clean_answers(questions: Iterable[Question], raw: Mapping[str, list[str]]) -> dict[str, object]:
    """The answers to keep from what was posted (question key -> list of posted values), or AnswerError."""
    cleaned: dict[str, object] = {}
    for question in questions:
        values = [value.strip() for value in raw.get(question.key, []) if value and value.strip()]
        if not values:
            if question.required:
                raise AnswerError(question.key, f"请回答：{question.text}")
            continue
        if question.kind == QuestionKind.TEXT:
            text = values[0]
            if len(text) > question.max_length:
                raise AnswerError(question.key, f"“{question.text}”最多 {question.max_length} 个字。")
            cleaned[question.key] = text
            continue
        if any(value not in question.options for value in values):
            raise AnswerError(question.key, f"“{question.text}”的选项无效，请重新选择。")
        if question.kind == QuestionKind.MULTIPLE:
            cleaned[question.key] = [option for option in question.options if option in values]
        elif len(set(values)) > 1:
            raise AnswerError(question.key, f"“{question.text}”只能选一项。")
        else:
            cleaned[question.key] = values[0]
    return cleaned


@dataclass(frozen=True)
class OptionResult:
    option: str
    count: int
    percent: float  # of the responses that answered this question


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    options: tuple[OptionResult, ...] = ()
    texts: tuple[str, ...] = ()
    average: float | None = None  # for a scale


def tally(questions: Iterable[Question], responses: Iterable[Mapping[str, object]]) -> list[QuestionResult]:
    """Counts per option (and the free texts) over every response."""
    questions = list(questions)
    counts = {question.key: Counter() for question in questions}
    answered = Counter()
    texts: dict[str, list[str]] = {question.key: [] for question in questions}
    for response in responses:
        for question in questions:
            value = response.get(question.key)
            if value in (None, "", []):
                continue
            answered[question.key] += 1
            if question.kind == QuestionKind.TEXT:
                texts[question.key].append(str(value))
            elif isinstance(value, list):
                counts[question.key].update(v for v in value if v in question.options)
            elif value in question.options:
                counts[question.key][value] += 1
    results = []
    for question in questions:
        n = answered[question.key]
        options = tuple(
            OptionResult(option=option, count=counts[question.key][option],
                         percent=round(100 * counts[question.key][option] / n, 1) if n else 0.0)
            for option in question.options
        )
        average = None
        if question.kind == QuestionKind.SCALE and n:
            average = round(sum(int(o.option) * o.count for o in options) / n, 2)
        results.append(QuestionResult(question=question, answered=n, options=options,
                                      texts=tuple(texts[question.key]), average=average))
    return results
