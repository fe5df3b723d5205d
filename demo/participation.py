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

# Each consultation's own draft: one 条 to a paragraph, numbered 1..N, about the consultation's subject.
PROCUREMENT_DRAFT = (
    "<p>第一条　为规范政府采购需求管理，提高采购质量和效率，根据《中华人民共和国政府采购法》等法律法规，制定本办法。</p>"
    "<p>第二条　本办法所称采购需求，是指采购人为实现项目目标，拟采购的标的及其需要满足的技术、商务要求。</p>"
    "<p>第三条　采购人对采购需求管理负有主体责任，按照本办法的规定开展采购需求管理各项工作。</p>"
    "<p>第四条　采购需求应当清楚明了、表述规范、含义准确，能够通过客观指标量化的应当量化。</p>"
    "<p>第五条　采购人可以在确定采购需求前，通过咨询、论证、问卷调查等方式开展需求调查，了解相关产业发展、"
    "市场供给、同类采购项目历史成交信息等情况。</p>"
    "<p>第六条　采购需求应当在采购文件中完整载明，并随采购文件一并公开。</p>"
)
BOND_DRAFT = (
    "<p>第一条　为加强地方政府专项债券项目全生命周期绩效管理，提高专项债券资金使用效益，根据《中华人民共和国预算法》"
    "和预算绩效管理有关规定，制定本办法。</p>"
    "<p>第二条　本办法所称专项债券项目绩效管理，是指对专项债券项目申报、资金使用、建设运营直至债券偿还全过程开展的"
    "绩效目标管理、绩效运行监控和绩效评价等活动。</p>"
    "<p>第三条　专项债券项目绩效管理坚持“举债必问效、无效必问责”，项目融资规模应当与项目收益相平衡。</p>"
    "<p>第四条　项目单位对项目绩效负主体责任；主管部门负责组织和督促本部门项目的绩效管理；财政部门负责制度建设、"
    "绩效目标审核和监督。</p>"
    "<p>第五条　申报专项债券项目时，项目单位应当同步设定绩效目标，包括产出、效益和服务对象满意度等指标，"
    "并与项目收益与融资自求平衡方案相衔接。</p>"
    "<p>第六条　项目单位应当在每季度结束后十个工作日内，对绩效目标实现程度和资金支出进度开展监控，"
    "发现偏离绩效目标的，及时采取措施纠正，并报告主管部门和同级财政部门。</p>"
    "<p>第七条　项目建成运营后，项目单位应当开展绩效自评；财政部门选取重点项目开展重点绩效评价，"
    "必要时可以委托第三方机构参与。</p>"
    "<p>第八条　绩效评价结果作为安排专项债券额度和项目的重要依据；评价结果为差的，相应核减该地区下一年度新增专项债券额度。</p>"
    "<p>第九条　项目绩效目标和绩效评价结果应当依法依规向社会公开，接受社会监督。</p>"
    "<p>第十条　本办法自印发之日起施行。</p>"
)


def _ways(email: str, subject: str, office: str) -> str:
    return (f"<p>1. 在本页面下方提交意见；</p><p>2. 电子邮件发送至 {email}，邮件主题注明“{subject}”；</p>"
            f"<p>3. 信函寄至财政部{office}（邮编100820），信封注明“征求意见”。</p>")


CLOSED_COMMENTS = (
    ("建议明确采购需求调查的适用金额标准，避免小额项目也要开展需求调查。", "李工程师", Adoption.ADOPTED, "适用范围",
     "正式印发的办法已明确：1000万元以上的货物、服务项目开展需求调查。"),
    ("第四条“能够量化的应当量化”过于原则，建议列举量化指标的类型。", "某会计师事务所", Adoption.PARTLY, "需求表述",
     "在配套的编制指南中列举，办法条文保持原则性规定。"),
    ("建议将采购需求公开时间提前至采购意向公开阶段。", "", Adoption.NOT_ADOPTED, "公开时限",
     "采购意向公开时需求尚未确定，提前公开不具备条件。"),
    ("建议增加对采购人需求管理的绩效评价条款。", "王女士", Adoption.ADOPTED, "监督评价",
     "正式印发的办法已增加相应条款，将需求管理纳入采购绩效评价。"),
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
    (Speaker.HOST, None, "各位网友大家好！欢迎参加本期在线访谈。今天我们邀请到财政部的两位负责同志，就今年减税降费政策落实情况与大家交流。"),
    (Speaker.GUEST, 0, "各位网友好！今年我们围绕支持小微企业和个体工商户，出台了一系列税费支持政策，总体上可以概括为“减、退、缓、免”四个字。"),
    (Speaker.HOST, None, "请您具体介绍一下增值税留抵退税政策的进展。"),
    (Speaker.GUEST, 1, "今年以来，留抵退税资金全部通过国库直达企业账户，符合条件的企业从提交申请到退税到账，平均时间已压缩到3个工作日以内。"),
    (Speaker.NETIZEN, None, "我是一家小型餐饮企业的负责人，请问我们能享受哪些政策？"),
    (Speaker.GUEST, 0, "小型餐饮企业多数是增值税小规模纳税人，可以享受小规模纳税人增值税减免、“六税两费”减半征收等政策，详情可在政务服务大厅的办事指南中查询。"),
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
        summary="为规范政府采购需求管理，我部起草了《政府采购需求管理办法（征求意见稿）》，现向社会公开征求意见。",
        department="国库司", draft=PROCUREMENT_DRAFT,
        ways_to_comment=_ways("zfcg@portal.example.gov.cn", "采购需求意见", "国库司（政府采购管理办公室）"),
        opens_at=_at(today - dt.timedelta(days=50)), closes_at=_at(today - dt.timedelta(days=20), 17),
        final_policy=policy), today)
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
                 "我部对每条意见逐一研究：采纳2条，部分采纳1条，未采纳2条。未采纳的主要原因是相关事项已由其他规定调整，"
                 "或现阶段不具备实施条件。感谢社会各界的关心和支持！"))
    FeedbackReport.objects.filter(pk=report.pk).update(published_at=_at(today - dt.timedelta(days=10)))
    opened = _add(index, ConsultationPage(
        title="关于《地方政府专项债券项目绩效管理办法（征求意见稿）》公开征求意见的通知", slug="bond-performance",
        summary="为加强专项债券项目全生命周期绩效管理，现将征求意见稿全文公布，欢迎社会各界提出意见建议。",
        department="预算司", draft=BOND_DRAFT,
        ways_to_comment=_ways("zxzq@portal.example.gov.cn", "专项债券绩效意见", "预算司"),
        opens_at=_at(today - dt.timedelta(days=5)), closes_at=None), today)
    for n, (body, name) in enumerate(OPEN_COMMENTS):
        ConsultationComment.objects.create(consultation=opened, body=body, name=name, status=Moderation.APPROVED,
                                           submitted_at=_at(today - dt.timedelta(days=4 - n)))
    ConsultationComment.objects.create(consultation=opened, body="建议延长征求意见期限。",
                                       submitted_at=_at(today - dt.timedelta(days=1)))


def home_of(page: Page) -> Page:
    return page.get_ancestors().filter(depth=2).first() or page


def _final_policy(home):
    """The 政府采购需求管理办法 as issued (its latest notice), or any policy on a site without it."""
    from django.apps import apps

    PolicyPage = apps.get_model("content", "PolicyPage")
    policies = PolicyPage.objects.live().descendant_of(home)
    return policies.filter(title__contains="政府采购需求管理办法").order_by("-pk").first() or \
        policies.order_by("pk").first()


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
    page.guests = [InterviewGuest(name="林建华", title="财政部税政司副司长"),
                   InterviewGuest(name="周敏", title="财政部国库司副司长")]
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
