"""Factories for the participation pages (placed under a 互动交流 front door) and what the public submits."""

import datetime as dt

import factory
from django.utils import timezone

from participation.models import (
    ConsultationComment, ConsultationIndexPage, ConsultationPage, InterviewGuest, InterviewIndexPage, InterviewPage,
    InterviewTurn, SurveyIndexPage, SurveyPage,
)
from tests.factories import PageFactory


def days(n: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=n)


class ConsultationIndexPageFactory(PageFactory):
    class Meta:
        model = ConsultationIndexPage

    title = "征求意见"
    slug = "consultations"


class SurveyIndexPageFactory(PageFactory):
    class Meta:
        model = SurveyIndexPage

    title = "网上调查"
    slug = "surveys"


class InterviewIndexPageFactory(PageFactory):
    class Meta:
        model = InterviewIndexPage

    title = "在线访谈"
    slug = "interviews"


class ConsultationPageFactory(PageFactory):
    class Meta:
        model = ConsultationPage

    title = factory.Sequence(lambda n: f"关于《政府采购需求管理办法（征求意见稿）》第{n}次公开征求意见的通知")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    summary = "为提高政府采购需求管理的科学性，现向社会公开征求意见。"
    department = "财政部国库司"
    draft = "<p>第一条 为加强政府采购需求管理，制定本办法。</p>"
    opens_at = factory.LazyFunction(lambda: days(-3))
    closes_at = factory.LazyFunction(lambda: days(27))
    comment_max_chars = 200


class ConsultationCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationComment

    body = factory.Sequence(lambda n: f"建议明确第{n}条中“采购需求”的适用范围。")
    name = "张三"


SURVEY_QUESTIONS = [
    {"type": "single", "id": "q-single", "value": {"text": "您通过什么渠道了解财政政策？",
                                                   "options": ["门户网站", "微信公众号", "报纸电视"], "required": True}},
    {"type": "multiple", "id": "q-multi", "value": {"text": "您最关注哪些财政信息？",
                                                    "options": ["预算决算", "政府采购", "惠企政策"], "required": True}},
    {"type": "scale", "id": "q-scale", "value": {"text": "您对网站信息公开的满意度", "points": 5,
                                                 "low_label": "很不满意", "high_label": "非常满意", "required": True}},
    {"type": "text", "id": "q-text", "value": {"text": "您的其他建议", "max_length": 100, "required": False}},
]


class SurveyPageFactory(PageFactory):
    class Meta:
        model = SurveyPage

    title = factory.Sequence(lambda n: f"财政信息公开满意度调查（第{n}期）")
    slug = factory.Sequence(lambda n: f"survey-{n}")
    opens_at = factory.LazyFunction(lambda: days(-3))
    closes_at = factory.LazyFunction(lambda: days(10))
    identity = SurveyPage.Identity.ANONYMOUS
    results_visibility = SurveyPage.Results.AFTER_CLOSE
    questions = factory.LazyFunction(lambda: [dict(q) for q in SURVEY_QUESTIONS])


class InterviewPageFactory(PageFactory):
    class Meta:
        model = InterviewPage

    title = factory.Sequence(lambda n: f"在线访谈：减税降费政策解读（第{n}期）")
    slug = factory.Sequence(lambda n: f"interview-{n}")
    topic = "减税降费政策落实情况"
    starts_at = factory.LazyFunction(lambda: days(-10))
    ends_at = factory.LazyFunction(lambda: days(-10) + dt.timedelta(hours=2))
    host_name = "主持人"


def add_guest(interview: InterviewPage, name: str = "李明", title: str = "税政司副司长") -> InterviewGuest:
    return InterviewGuest.objects.create(page=interview, name=name, title=title)


def add_turn(interview: InterviewPage, text: str, **kwargs) -> InterviewTurn:
    return InterviewTurn.objects.create(interview=interview, text=text, **kwargs)
