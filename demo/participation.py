"""公众参与 demo under 互动交流: one open and one closed consultation (with its 意见采纳情况), one open and one closed
survey with answers, one archived interview with its transcript. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from participation import services
from participation.models import (
    ConsultationComment, ConsultationIndexPage, ConsultationPage, FeedbackReport, InterviewGuest, InterviewIndexPage,
    InterviewPage, InterviewQuestion, InterviewTurn, SurveyIndexPage, SurveyPage, SurveyResponse,
)
from participation.rules import Adoption, Moderation, Speaker
from services_hall.models import InteractionPage

DRAFT = (
    "<p>第一条 为规范政府采购需求管理，提高采购质量和效率，根据《中华人民共和国政府采购法》等法律法规，制定本办法。</p>"
    "<p>第二条 本办法所称采购需求，是指采购人为实现项目目标，拟采购的标的及其需要满足的技术、商务要求。</p>"
    "<p>第三条 采购人对采购需求管理负有主体责任，按照本办法的规定开展采购需求管理各项工作。</p>"
    "<p>第四条 采购需求应当清楚明了、表述规范、含义准确，能够通过客观指标量化的应当量化。</p>"
)
WAYS = ("<p>1. 在本页面下方提交意见；</p><p>2. 电子邮件发送至 zfcg@portal.example.gov.cn，邮件主题注明“采购需求意见”；</p>"
        "<p>3. 信函寄至财政局国库处（邮编100000），信封注明“征求意见”。</p>")

CLOSED_COMMENTS = (
    ("建议明确采购需求调查的适用金额标准，避免小额项目也要开展需求调查。", "李工程师", Adoption.ADOPTED, "适用范围",
     "已在第十一条明确：1000万元以上的货物、服务项目开展需求调查。"),
    ("第四条“能够量化的应当量化”过于原则，建议列举量化指标的类型。", "某会计师事务所", Adoption.PARTLY, "需求表述",
     "在配套的编制指南中列举，办法条文保持原则性规定。"),
    ("建议将采购需求公开时间提前至采购意向公开阶段。", "", Adoption.NOT_ADOPTED, "公开时限",
     "采购意向公开时需求尚未确定，提前公开不具备条件。"),
    ("建议增加对采购人需求管理的绩效评价条款。", "王女士", Adoption.ADOPTED, "监督评价",
     "已增加第三十一条，将需求管理纳入采购绩效评价。"),
    ("希望对中小企业预留份额作出更具体的规定。", "某商会", Adoption.NOT_ADOPTED, "适用范围",
     "中小企业预留份额由《政府采购促进中小企业发展管理办法》专门规定。"),
)
OPEN_COMMENTS = (
    ("建议对“专项债券项目”的绩效目标设置给出模板。", "赵处长"),
    ("第六条的时间要求偏紧，建议改为十五个工作日。", ""),
)

SURVEY_QUESTIONS = [
    {"type": "single", "value": {"text": "您主要通过什么渠道了解财政政策？",
                                 "options": ["门户网站", "政务新媒体", "报纸电视", "办事窗口"], "required": True}},
    {"type": "multiple", "value": {"text": "您最希望网站加强哪些方面的信息公开？",
                                   "options": ["预算决算", "政府采购", "惠企政策", "政策解读", "办事指南"],
                                   "required": True}},
    {"type": "scale", "value": {"text": "您对本网站信息公开工作的总体满意度", "points": 5, "low_label": "很不满意",
                                "high_label": "非常满意", "required": True}},
    {"type": "text", "value": {"text": "您对改进网站的其他建议", "max_length": 300, "required": False}},
]
SUGGESTIONS = ("希望政策文件附带图解。", "建议手机上的字体再大一些。", "办事指南能否增加常见问题。", "")

TRANSCRIPT = (
    (Speaker.HOST, None, "各位网友大家好！欢迎参加本期在线访谈。今天我们邀请到财政局的两位负责同志，就今年减税降费政策落实情况与大家交流。"),
    (Speaker.GUEST, 0, "各位网友好！今年我们围绕支持小微企业和个体工商户，出台了一系列税费支持政策，总体上可以概括为“减、退、缓、免”四个字。"),
    (Speaker.HOST, None, "请您具体介绍一下增值税留抵退税政策的进展。"),
    (Speaker.GUEST, 1, "截至目前，全市已为2300多户企业办理留抵退税，退税资金全部通过国库直达企业账户，平均办理时间压缩到3个工作日以内。"),
    (Speaker.NETIZEN, None, "我是一家小型餐饮企业的负责人，请问我们能享受哪些政策？"),
    (Speaker.GUEST, 0, "餐饮业属于受疫情影响较大的行业，可以享受增值税小规模纳税人减免、“六税两费”减半征收等政策，详情可在政务服务大厅的办事指南中查询。"),
    (Speaker.HOST, None, "感谢两位嘉宾，感谢各位网友的参与！本期访谈到此结束。"),
)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def build_participation_demo(home: Page, *, today: dt.date) -> None:
    interaction = InteractionPage.objects.descendant_of(home).first()
    if interaction is None or ConsultationIndexPage.objects.descendant_of(interaction).exists():
        return
    with transaction.atomic():
        _consultations(interaction, today)
        _surveys(interaction, today)
        _interview(interaction, today)


def _add(parent: Page, page: Page, today: dt.date) -> Page:
    when = _at(today - dt.timedelta(days=60))
    page.first_published_at = page.last_published_at = when
    parent.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    return type(page).objects.get(pk=page.pk)


def _consultations(interaction, today) -> None:
    index = _add(interaction, ConsultationIndexPage(
        title="征求意见", slug="consultations",
        intro="<p>重要财政政策文件出台前公开征求社会公众意见，意见采纳情况在征求意见结束后公布。</p>"), today)
    policy = _final_policy(home_of(interaction))
    closed = _add(index, ConsultationPage(
        title="关于《政府采购需求管理办法（征求意见稿）》公开征求意见的通知", slug="procurement-demand",
        summary="为规范政府采购需求管理，我局起草了《政府采购需求管理办法（征求意见稿）》，现向社会公开征求意见。",
        department="国库处", draft=DRAFT, ways_to_comment=WAYS, opens_at=_at(today - dt.timedelta(days=50)),
        closes_at=_at(today - dt.timedelta(days=20), 17), final_policy=policy), today)
    for n, (body, name, adoption, theme, reason) in enumerate(CLOSED_COMMENTS):
        comment = ConsultationComment.objects.create(
            consultation=closed, body=body, name=name, submitted_at=_at(today - dt.timedelta(days=45 - n * 5)))
        services.comment_moderate(comment=comment, actor=None, status=Moderation.APPROVED, adoption=adoption,
                                  theme=theme, reason=reason)
    ConsultationComment.objects.create(consultation=closed, body="广告：代办各类资质，联系电话……",
                                       status=Moderation.REJECTED, submitted_at=_at(today - dt.timedelta(days=30)))
    report = services.feedback_publish(
        consultation=closed, actor=None,
        summary=("公开征求意见期间，共收到社会公众有效意见5条（另有1条与征求意见内容无关，未予统计）。"
                 "我局对每条意见逐一研究：采纳2条，部分采纳1条，未采纳2条。未采纳的主要原因是相关事项已由其他规定调整，"
                 "或现阶段不具备实施条件。感谢社会各界的关心和支持！"))
    FeedbackReport.objects.filter(pk=report.pk).update(published_at=_at(today - dt.timedelta(days=10)))
    opened = _add(index, ConsultationPage(
        title="关于《地方政府专项债券项目绩效管理办法（征求意见稿）》公开征求意见的通知", slug="bond-performance",
        summary="为加强专项债券项目全生命周期绩效管理，现将征求意见稿全文公布，欢迎社会各界提出意见建议。",
        department="预算处", draft=DRAFT.replace("政府采购需求", "专项债券项目绩效"), ways_to_comment=WAYS,
        opens_at=_at(today - dt.timedelta(days=5)), closes_at=None), today)
    for n, (body, name) in enumerate(OPEN_COMMENTS):
        ConsultationComment.objects.create(consultation=opened, body=body, name=name, status=Moderation.APPROVED,
                                           submitted_at=_at(today - dt.timedelta(days=4 - n)))
    ConsultationComment.objects.create(consultation=opened, body="建议延长征求意见期限。",
                                       submitted_at=_at(today - dt.timedelta(days=1)))


def home_of(page: Page) -> Page:
    return page.get_ancestors().filter(depth=2).first() or page


def _final_policy(home):
    from django.apps import apps

    PolicyPage = apps.get_model("content", "PolicyPage")
    return PolicyPage.objects.live().descendant_of(home).order_by("pk").first()


def _surveys(interaction, today) -> None:
    index = _add(interaction, SurveyIndexPage(
        title="网上调查", slug="surveys", intro="<p>就财政工作和网站服务开展网上调查，调查结果在本页公布。</p>"), today)
    closed = _add(index, SurveyPage(
        title="2026年财政信息公开满意度调查", slug="satisfaction-2026", intro="<p>感谢您参与本次调查，约需2分钟。</p>",
        opens_at=_at(today - dt.timedelta(days=45)), closes_at=_at(today - dt.timedelta(days=15), 17),
        results_visibility=SurveyPage.Results.AFTER_CLOSE, questions=SURVEY_QUESTIONS), today)
    opened = _add(index, SurveyPage(
        title="政务服务“好差评”改进意见调查", slug="service-rating", intro="<p>请就政务服务大厅的办事体验发表意见。</p>",
        opens_at=_at(today - dt.timedelta(days=3)), closes_at=_at(today + dt.timedelta(days=27), 17),
        results_visibility=SurveyPage.Results.LIVE, questions=SURVEY_QUESTIONS), today)
    chooser = random.Random(f"participation-{today.isoformat()}")
    for survey, count in ((closed, 86), (opened, 12)):
        questions = survey.question_list()
        for n in range(count):
            answers = {}
            for question in questions:
                if question.kind == "multiple":
                    answers[question.key] = [o for o in question.options if chooser.random() < 0.45] or \
                        [question.options[0]]
                elif question.kind == "text":
                    text = chooser.choice(SUGGESTIONS)
                    if text:
                        answers[question.key] = text
                elif question.kind == "scale":
                    answers[question.key] = chooser.choice(["3", "4", "4", "5", "5", "2"])
                else:
                    answers[question.key] = chooser.choices(question.options, weights=[5, 3, 2, 1])[0]
            SurveyResponse.objects.create(survey=survey, voter_key=f"demo:{n}", answers=answers,
                                          submitted_at=max(survey.opens_at, _at(today)) - dt.timedelta(hours=n))


def _interview(interaction, today) -> None:
    index = _add(interaction, InterviewIndexPage(
        title="在线访谈", slug="interviews", intro="<p>邀请财政部门负责同志在线解读政策、回答网友提问。</p>"), today)
    starts = _at(today - dt.timedelta(days=12), 10)
    page = InterviewPage(title="减税降费政策落实情况在线访谈", slug="tax-relief-2026", topic="减税降费政策落实情况",
                         intro="<p>本期访谈围绕减税降费政策落实、留抵退税资金保障等网友关心的问题展开。</p>",
                         starts_at=starts, ends_at=starts + dt.timedelta(hours=1, minutes=30), host_name="主持人 陈静")
    page.guests = [InterviewGuest(name="林建华", title="财政局副局长"), InterviewGuest(name="周敏", title="国库处处长")]
    page = _add(index, page, today)
    guests = list(page.guests.order_by("sort_order", "pk"))
    InterviewQuestion.objects.create(interview=page, name="小微企业主", body="留抵退税一般多久能到账？",
                                     status=Moderation.APPROVED, submitted_at=starts - dt.timedelta(days=2))
    InterviewQuestion.objects.create(interview=page, name="", body="个体户能不能享受六税两费减征？",
                                     status=Moderation.APPROVED, submitted_at=starts - dt.timedelta(days=1))
    for n, (speaker, guest, text) in enumerate(TRANSCRIPT):
        InterviewTurn.objects.create(interview=page, speaker=speaker,
                                     guest=guests[guest] if guest is not None else None,
                                     netizen_name="小微企业主" if speaker == Speaker.NETIZEN else "", text=text,
                                     said_at=starts + dt.timedelta(minutes=3 + n * 9))
