"""Demo services hall: nine finance service matters with their real legal bases, demo accounts, a filled
queue and published letters.

The matters, laws, regulations and the conditions quoted from them are real; every organisation, person,
phone number and 事项编码 here is 演示 (demo) data. `build_services_demo(parent=...)` is idempotent: guides are
found by slug, accounts by login name, applications by their submit key and letters by their title, so running
it again adds nothing.

Demo passwords are made once and kept in VAR_DIR (never in the repository), like the demo admin's.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from services_hall import notifications
from services_hall.accounts import applicant_register
from services_hall.deadlines import WorkCalendar, count_working_days
from services_hall.models import (
    Applicant,
    Application,
    Holiday,
    Letter,
    ServiceFaq,
    ServiceFormField,
    ServiceGuidePage,
    ServiceMaterial,
    ServiceStep,
)
from services_hall.selectors import work_calendar
from services_hall.services import (
    application_submit,
    application_transition,
    letter_reply,
    letter_submit,
    rating_submit,
)
from services_hall.validators import uscc_check_char
from services_hall.workflow import ROLE_GROUPS, Action, Role

CREDENTIALS_FILE = "demo-services-accounts.json"
EXISTING_PASSWORD = "（已存在，未修改）"

LICENSING = ServiceGuidePage.ServiceType.LICENSING
PUBLIC_SERVICE = ServiceGuidePage.ServiceType.PUBLIC_SERVICE
OTHER = ServiceGuidePage.ServiceType.OTHER
ORIGINAL = ServiceMaterial.Form.ORIGINAL
COPY = ServiceMaterial.Form.COPY
ELECTRONIC = ServiceMaterial.Form.ELECTRONIC

CONSULTATION_PHONE = "010-68550000（演示）"
COMPLAINT_PHONE = "010-68559999（演示）"
WINDOW = "北京市西城区三里河南三巷3号 财政部政务服务大厅（演示）"
LOCAL_WINDOW = "申请人所在地财政部门政务服务窗口；本站网上申报的，全程网上办理，无需到现场。"
OFFICE_HOURS = "工作日 上午9:00—11:30，下午13:30—17:00（法定节假日除外）"


# ---------------------------------------------------------------------------------------------------------------
# The guides


@dataclass(frozen=True)
class Material:
    name: str
    required: bool = True
    form: str = ELECTRONIC
    copies: int = 1
    notes: str = ""


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    type: str = "singleline"
    required: bool = True
    choices: tuple[str, ...] = ()
    help_text: str = ""


@dataclass(frozen=True)
class Guide:
    slug: str
    title: str
    code: str
    type: str
    body: str  # 实施主体
    basis: tuple[str, ...]  # 设定依据, one paragraph each
    conditions: tuple[str, ...]  # 受理条件, a list
    materials: tuple[Material, ...]
    steps: tuple[tuple[str, str], ...]
    statutory_days: int
    promised_days: int
    faqs: tuple[tuple[str, str], ...]
    fields: tuple[FormField, ...] = ()
    online: bool = True
    location: str = LOCAL_WINDOW
    fees: str = "不收费。"
    intro: str = ""  # the search description

    def legal_basis_html(self) -> str:
        return "".join(f"<p>{paragraph}</p>" for paragraph in self.basis)

    def conditions_html(self) -> str:
        return "<ol>" + "".join(f"<li>{item}</li>" for item in self.conditions) + "</ol>"


def _steps(decision: str, days: str) -> tuple[tuple[str, str], ...]:
    """The usual five steps of a filing; `decision` and `days` say what the office decides and how fast."""
    return (
        ("申请", "申请人通过本站“在线申报”填写申报信息并上传申请材料，或到办理地点窗口提交纸质材料。"),
        ("受理", "收到申请之日起5个工作日内作出受理或者不予受理的决定；材料不齐全或者不符合法定形式的，一次性告知需要补正的全部内容。"),
        ("审查", "对申请材料进行审查，必要时核实有关情况。补正材料期间不计入办理时限。"),
        ("决定", f"{days}作出{decision}。"),
        ("送达", "通过本站“我的办件”、电子邮件和短信告知办理结果；需要证书或纸质文书的，按申请人选择的方式送达。"),
    )


CONTACT_FIELDS = (
    FormField("contact_name", "联系人"),
    FormField("contact_phone", "联系电话", help_text="手机号码或带区号的固定电话。"),
)

GUIDES: tuple[Guide, ...] = (
    Guide(
        slug="dailijizhang-zige",
        title="代理记账资格审批",
        code="000105001000",
        type=LICENSING,
        body="县级以上地方人民政府财政部门",
        intro="除会计师事务所以外的机构从事代理记账业务，须经财政部门批准并取得代理记账许可证书。",
        basis=(
            "《中华人民共和国会计法》：不具备设置会计机构和会计人员条件的单位，应当委托经批准设立从事会计代理记账业务的中介机构代理记账。",
            "《代理记账管理办法》（2016年2月16日财政部令第80号公布，根据2019年3月14日财政部令第98号修改）："
            "除会计师事务所以外的机构从事代理记账业务，应当经县级以上地方人民政府财政部门批准，领取由财政部统一规定样式的代理记账许可证书。",
        ),
        conditions=(
            "为依法设立的企业；",
            "专职从业人员不少于3名；",
            "主管代理记账业务的负责人具有会计师以上专业技术职务资格或者从事会计工作不少于三年，且为专职从业人员；",
            "有健全的代理记账业务内部规范。",
        ),
        materials=(
            Material("代理记账资格申请表", notes="填写机构名称、统一社会信用代码、专职从业人员等信息，加盖单位公章。"),
            Material("主管代理记账业务负责人的书面承诺",
                     notes="承诺本人具有会计师以上专业技术职务资格或者从事会计工作不少于三年，且为本机构专职从业人员。"),
            Material("专职从业人员在本机构专职从业的书面承诺", copies=3,
                     notes="每名专职从业人员一份，不少于3名。专职从业人员是指仅在一个代理记账机构从事代理记账业务的人员。"),
            Material("代理记账业务内部规范", notes="包括业务承接、会计核算、质量控制、档案管理和收费管理等制度。"),
        ),
        steps=_steps("准予或者不予许可的决定；准予许可的，颁发代理记账许可证书并向社会公示",
                     "自受理之日起10日内（经负责人批准可延长10日）"),
        statutory_days=20,
        promised_days=10,
        faqs=(
            ("会计师事务所从事代理记账业务，需要申请代理记账资格吗？",
             "不需要。《代理记账管理办法》规定须经批准的是除会计师事务所以外的机构；会计师事务所及其分所可以依法从事代理记账业务。"),
            ("取得代理记账许可后，机构名称或者主管代理记账业务的负责人变更了，怎么办？",
             "应当自作出变更决定或者取得有关部门批准文件之日起30日内，向审批机关办理变更登记，并将变更材料报送审批机关。"),
            ("专职从业人员可以同时在两家代理记账机构工作吗？",
             "不可以。专职从业人员是指仅在一个代理记账机构从事代理记账业务的人员，申请时须提交其专职从业的书面承诺。"),
        ),
        fields=(
            FormField("company_name", "机构名称", help_text="与营业执照上的名称一致。"),
            FormField("uscc", "统一社会信用代码"),
            FormField("address", "住所"),
            FormField("supervisor", "主管代理记账业务的负责人"),
            FormField("supervisor_qualification", "负责人资格", "dropdown",
                      choices=("会计师及以上专业技术职务资格", "从事会计工作不少于三年")),
            FormField("staff_count", "专职从业人员数", "number", help_text="不少于3名。"),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="kuaijishi-shiwusuo-zhiye-xuke",
        title="会计师事务所执业许可",
        code="000105002000",
        type=LICENSING,
        body="省、自治区、直辖市人民政府财政部门",
        intro="设立会计师事务所（含特殊普通合伙、普通合伙和有限责任公司形式）须经省级财政部门批准。",
        basis=(
            "《中华人民共和国注册会计师法》第二十三条、第二十四条、第二十五条：设立会计师事务所，由国务院财政部门或者"
            "省、自治区、直辖市人民政府财政部门批准；审批机关应当自收到申请文件之日起三十日内决定批准或者不批准。",
            "《会计师事务所执业许可和监督管理办法》（2017年8月20日财政部令第89号公布，根据2019年1月2日财政部令第97号修改）。",
        ),
        conditions=(
            "以合伙形式设立的，有2名以上合伙人，且合伙人为具有注册会计师执业资格的人员；",
            "合伙人或者股东最近连续3年在会计师事务所从事审计业务且在本所专职执业，成为合伙人或者股东前3年内没有因为执业行为受到行政处罚；",
            "有书面合伙协议或者公司章程；",
            "有经营场所；",
            "以有限责任公司形式设立的，还应当符合《中华人民共和国注册会计师法》第二十四条规定的股东人数、注册会计师人数和注册资本等条件。",
        ),
        materials=(
            Material("会计师事务所执业许可申请表", notes="由首席合伙人（主任会计师）签字，加盖公章。"),
            Material("合伙协议或者公司章程", notes="须经全体合伙人或者股东签字。"),
            Material("合伙人或者股东符合条件的书面承诺", notes="每名合伙人或者股东一份，载明其执业经历和近3年受处罚情况。"),
            Material("注册会计师名单", notes="列明姓名、注册会计师证书编号和专职执业情况。"),
            Material("经营场所证明", required=False, form=COPY, notes="产权证明或者租赁合同。"),
        ),
        steps=_steps("准予或者不予执业许可的决定；准予许可的，颁发会计师事务所执业证书并公告",
                     "自受理之日起30日内"),
        statutory_days=30,
        promised_days=15,
        faqs=(
            ("特殊普通合伙会计师事务所与普通合伙有什么不同？",
             "特殊普通合伙会计师事务所中，一个或者数个合伙人在执业活动中因故意或者重大过失造成合伙企业债务的，"
             "由其承担无限责任或者无限连带责任，其他合伙人以其在合伙企业中的财产份额为限承担责任。"),
            ("注册会计师可以同时在两家会计师事务所担任合伙人吗？",
             "不可以。合伙人或者股东须在本所专职执业。"),
        ),
        fields=(
            FormField("firm_name", "事务所名称"),
            FormField("organisation_form", "组织形式", "dropdown", choices=("特殊普通合伙", "普通合伙", "有限责任公司")),
            FormField("uscc", "统一社会信用代码"),
            FormField("chief_partner", "首席合伙人（主任会计师）"),
            FormField("cpa_count", "注册会计师人数", "number"),
            FormField("premises", "经营场所"),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="zichan-pinggu-jigou-beian",
        title="资产评估机构备案",
        code="000105003000",
        type=OTHER,
        body="省、自治区、直辖市人民政府财政部门",
        intro="资产评估机构应当自领取营业执照之日起30日内向省级财政部门备案。",
        basis=(
            "《中华人民共和国资产评估法》第十五条、第十六条：评估机构应当依法采用合伙或者公司形式；"
            "评估机构应当自领取营业执照之日起三十日内向有关评估行政管理部门备案。",
            "《资产评估行业财政监督管理办法》（2017年4月21日财政部令第86号公布，根据2019年1月2日财政部令第97号修改）。",
        ),
        conditions=(
            "已依法办理登记、领取营业执照，且自领取营业执照之日起不超过30日；",
            "合伙形式的评估机构，有两名以上评估师，其合伙人三分之二以上应当是具有三年以上从业经历且最近三年内未受停止从业处罚的评估师；",
            "公司形式的评估机构，有八名以上评估师和两名以上股东，其中三分之二以上股东应当是具有三年以上从业经历且最近三年内未受停止从业处罚的评估师。",
        ),
        materials=(
            Material("资产评估机构备案表", notes="加盖公章。"),
            Material("营业执照", form=COPY),
            Material("合伙协议或者公司章程"),
            Material("资产评估专业人员名单及评估师证明", notes="列明姓名、职业资格证书编号，注明合伙人或者股东。"),
        ),
        steps=(
            ("提交备案材料", "自领取营业执照之日起30日内，通过本站“在线申报”提交备案材料。"),
            ("核对", "财政部门核对备案材料是否齐全、是否符合法定形式；不齐全的一次性告知需要补正的内容。"),
            ("完成备案并公告", "备案材料齐全的，予以备案，并将备案情况向社会公告。"),
        ),
        statutory_days=20,
        promised_days=5,
        faqs=(
            ("备案后分支机构需要另行备案吗？",
             "需要。资产评估机构设立分支机构的，应当按规定向分支机构所在地的省级财政部门备案。"),
            ("超过30日还没有备案怎么办？",
             "请尽快通过本站提交备案材料；逾期未备案的，财政部门将依法处理。"),
        ),
        fields=(
            FormField("institution_name", "机构名称"),
            FormField("organisation_form", "组织形式", "dropdown", choices=("合伙", "公司")),
            FormField("uscc", "统一社会信用代码"),
            FormField("licensed_on", "领取营业执照日期", "date", help_text="格式：2026-01-31"),
            FormField("legal_representative", "执行事务合伙人或法定代表人"),
            FormField("appraiser_count", "评估师人数", "number"),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="zhengfu-caigou-tousu",
        title="政府采购投诉处理",
        code="000105004000",
        type=OTHER,
        body="财政部（中央预算单位政府采购项目）",
        location=WINDOW,
        intro="供应商对质疑答复不满意或者未在规定时间内得到答复的，可以在答复期满后15个工作日内投诉。",
        basis=(
            "《中华人民共和国政府采购法》第五十五条：质疑供应商对采购人、采购代理机构的答复不满意或者采购人、采购代理机构未在规定的时间内"
            "作出答复的，可以在答复期满后十五个工作日内向同级政府采购监督管理部门投诉。",
            "《中华人民共和国政府采购法》第五十六条：政府采购监督管理部门应当在收到投诉后三十个工作日内，对投诉事项作出处理决定，"
            "并以书面形式通知投诉人和与投诉事项有关的当事人。",
            "《政府采购质疑和投诉办法》（2017年12月26日财政部令第94号公布）。",
        ),
        conditions=(
            "投诉人是参与所投诉政府采购活动的供应商；",
            "提起投诉前已依法进行质疑，且投诉事项不超出已质疑事项的范围；",
            "投诉书内容符合规定；",
            "在投诉有效期限内提起投诉；",
            "同一投诉事项未经财政部门投诉处理；",
            "属于本部门管辖。",
        ),
        materials=(
            Material("投诉书", notes="包括投诉人和被投诉人的名称、地址、联系人及联系电话；具体、明确的投诉事项和投诉请求；事实依据；"
                                 "法律依据；提起投诉的日期。由法定代表人、主要负责人或者其授权代表签字或者盖章，并加盖公章。"),
            Material("质疑函和质疑答复", notes="未在规定时间内收到答复的，提供质疑函及已提交质疑的证明。"),
            Material("证明投诉事项的材料", notes="与投诉事项相关的采购文件、评审结果公告等。"),
            Material("授权委托书", required=False, form=ORIGINAL, notes="委托代理人办理的提供，载明委托代理的具体权限和事项。"),
        ),
        steps=_steps("处理决定，并以书面形式通知投诉人和与投诉事项有关的当事人", "自收到投诉之日起30个工作日内"),
        statutory_days=30,
        promised_days=25,
        faqs=(
            ("没有先质疑，可以直接投诉吗？",
             "不可以。供应商应当先向采购人或者采购代理机构提出质疑；投诉的事项不得超出已质疑事项的范围，"
             "但基于质疑答复内容提出的投诉事项除外。"),
            ("投诉期间，采购活动会暂停吗？",
             "政府采购监督管理部门在处理投诉事项期间，可以视具体情况书面通知采购人暂停采购活动，但暂停时间最长不得超过三十日。"),
            ("投诉要收费吗？", "不收费。"),
        ),
        fields=(
            FormField("complainant", "投诉人名称"),
            FormField("uscc", "统一社会信用代码"),
            FormField("respondent", "被投诉人", help_text="采购人或者采购代理机构的名称。"),
            FormField("project_name", "采购项目名称"),
            FormField("project_code", "采购项目编号"),
            FormField("reply_date", "质疑答复日期", "date", required=False,
                      help_text="未收到答复的留空，并在投诉书中说明。"),
            FormField("matters", "投诉事项", "multiline"),
            FormField("requests", "投诉请求", "multiline"),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="zhengfu-xinxi-gongkai-shenqing",
        title="政府信息公开申请",
        code="000105005000",
        type=PUBLIC_SERVICE,
        body="财政部",
        location=WINDOW,
        intro="公民、法人或者其他组织可以向财政部申请获取政府信息。",
        fees="不收费。申请公开政府信息的数量、频次明显超过合理范围的，可以依法收取信息处理费。",
        basis=(
            "《中华人民共和国政府信息公开条例》（2019年4月3日国务院令第711号修订）第二十七条：除行政机关主动公开的政府信息外，"
            "公民、法人或者其他组织可以向对外以自己名义履行行政管理职能的县级以上人民政府部门申请获取相关政府信息。",
            "第三十三条：行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，"
            "经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。",
        ),
        conditions=(
            "申请采用包括信件、数据电文在内的书面形式；",
            "写明申请人的姓名或者名称、身份证明、联系方式；",
            "写明申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；",
            "写明申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
        ),
        materials=(
            Material("政府信息公开申请表"),
            Material("申请人身份证明", form=COPY,
                     notes="公民提供居民身份证；法人或者其他组织提供营业执照等统一社会信用代码证明。"),
            Material("授权委托书", required=False, form=ORIGINAL, notes="委托他人代为申请的提供。"),
        ),
        steps=(
            ("提出申请", "通过本站“在线申报”、信函或者到办理地点提交书面申请。"),
            ("登记", "收到申请后登记；申请内容不明确的，自收到申请之日起7个工作日内一次性告知补正，答复期限自收到补正的申请之日起计算。"),
            ("办理", "检索、审查所申请的政府信息，涉及第三方权益的征求第三方意见（所需时间不计算在答复期限内）。"),
            ("答复", "自收到申请之日起20个工作日内答复；延长答复期限的，延长期限最长不超过20个工作日。"),
        ),
        statutory_days=20,
        promised_days=15,
        faqs=(
            ("申请的信息已经主动公开了，还会答复吗？",
             "会。所申请的信息已经主动公开的，告知申请人获取该政府信息的方式、途径。"),
            ("可以通过电子邮件获取信息吗？",
             "可以。请在申报时选择“电子邮件”作为获取信息的方式；不能按申请人要求的形式提供的，可以通过安排查阅相关资料、提供复制件等适当形式提供。"),
        ),
        fields=(
            FormField("applicant_name", "申请人姓名或名称"),
            FormField("id_type", "身份证明类型", "dropdown", choices=("统一社会信用代码", "居民身份证")),
            FormField("id_code", "证件号码"),
            FormField("description", "所需信息的名称或内容描述", "multiline",
                      help_text="请写明信息名称、文号或者便于查询的其他特征性描述。"),
            FormField("document_number", "文号", required=False),
            FormField("delivery", "获取信息的方式", "dropdown", choices=("电子邮件", "邮寄", "当面领取")),
            FormField("carrier", "信息的载体形式", "dropdown", choices=("电子文本", "纸质文本")),
            FormField("address", "通信地址", required=False),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="zhuce-kuaijishi-zhuce",
        title="注册会计师注册",
        code="000105006000",
        type=LICENSING,
        body="省、自治区、直辖市注册会计师协会",
        online=False,
        location="申请人所在地省级注册会计师协会（通过注册会计师行业管理信息系统申请）。",
        intro="参加注册会计师全国统一考试成绩合格，并从事审计业务工作二年以上的，可以申请注册。",
        basis=(
            "《中华人民共和国注册会计师法》第九条：参加注册会计师全国统一考试成绩合格，并从事审计业务工作二年以上的，"
            "可以向省、自治区、直辖市注册会计师协会申请注册。",
            "《中华人民共和国注册会计师法》第十条：规定了不予注册的情形。",
            "《注册会计师注册办法》（财政部令第25号）。",
        ),
        conditions=(
            "参加注册会计师全国统一考试成绩合格，取得全科合格证书；",
            "从事审计业务工作二年以上；",
            "在会计师事务所专职执业；",
            "不存在《中华人民共和国注册会计师法》第十条规定的不予注册情形，如不具有完全民事行为能力、受刑事处罚自刑罚执行完毕之日起不满五年等。",
        ),
        materials=(
            Material("注册会计师注册申请表", form=ORIGINAL),
            Material("注册会计师全国统一考试全科合格证书", form=COPY),
            Material("居民身份证", form=COPY),
            Material("从事审计业务工作二年以上的证明", form=ORIGINAL, notes="由所在会计师事务所出具。"),
            Material("会计师事务所出具的拟聘用证明", form=ORIGINAL),
        ),
        steps=_steps("准予或者不予注册的决定；准予注册的，颁发注册会计师证书", "自受理之日起20个工作日内"),
        statutory_days=20,
        promised_days=10,
        faqs=(
            ("本站可以网上申报注册会计师注册吗？",
             "本事项通过注册会计师行业管理信息系统向省级注册会计师协会申请，本站不受理网上申报，办事指南供参考。"),
        ),
    ),
    Guide(
        slug="biangeng-caigou-fangshi",
        title="中央预算单位变更政府采购方式审批",
        code="000105007000",
        type=OTHER,
        body="财政部",
        location=WINDOW,
        intro="达到公开招标数额标准的项目，因特殊情况需要采用公开招标以外的采购方式的，应当在采购活动开始前获得批准。",
        basis=(
            "《中华人民共和国政府采购法》第二十七条：采购人采购货物或者服务应当采用公开招标方式的，因特殊情况需要采用公开招标以外的采购方式的，"
            "应当在采购活动开始前获得设区的市、自治州以上人民政府采购监督管理部门的批准。",
            "《政府采购非招标采购方式管理办法》（财政部令第74号）；《中央预算单位变更政府采购方式审批管理办法》（财库〔2015〕36号）。",
        ),
        conditions=(
            "申请单位为中央预算单位，申请经主管预算单位审核同意后提出；",
            "项目达到公开招标数额标准，且在采购活动开始前提出申请；",
            "符合拟采用的采购方式的适用情形，如只能从唯一供应商处采购的可以申请单一来源方式。",
        ),
        materials=(
            Material("变更政府采购方式申请函", notes="由主管预算单位出具，说明项目基本情况、预算金额、拟采用的采购方式及理由。"),
            Material("项目预算批复文件", form=COPY),
            Material("专家论证意见", required=False, notes="申请单一来源方式的，附专家论证意见和单一来源采购方式公示情况。"),
            Material("公开招标失败的相关材料", required=False,
                     notes="因公开招标失败申请变更的，提供招标公告、招标文件、评标报告等。"),
        ),
        steps=_steps("批准或者不予批准的决定", "材料齐全后"),
        statutory_days=20,
        promised_days=5,
        faqs=(
            ("采购活动已经开始了，还能申请变更采购方式吗？",
             "不能。变更采购方式须在采购活动开始前获得批准。"),
            ("公开招标失败后，可以直接改用竞争性谈判吗？",
             "不可以直接改用。应当按规定报经批准；申请时提供公开招标失败的相关材料。"),
        ),
        fields=(
            FormField("budget_unit", "预算单位名称"),
            FormField("supervising_unit", "主管预算单位"),
            FormField("project_name", "采购项目名称"),
            FormField("budget_amount", "预算金额（万元）", "number"),
            FormField("proposed_method", "拟采用的采购方式", "dropdown",
                      choices=("邀请招标", "竞争性谈判", "竞争性磋商", "单一来源", "询价")),
            FormField("reason", "申请理由", "multiline"),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="caigou-jinkou-chanpin-shenhe",
        title="政府采购进口产品审核",
        code="000105008000",
        type=OTHER,
        body="财政部（中央预算单位项目）",
        location=WINDOW,
        intro="采购人需要采购的产品在中国境内无法获取或者无法以合理的商业条件获取的，经审核后可以采购进口产品。",
        basis=(
            "《中华人民共和国政府采购法》第十条：政府采购应当采购本国货物、工程和服务；需要采购的货物、工程或者服务在中国境内无法获取"
            "或者无法以合理的商业条件获取的除外。",
            "《政府采购进口产品管理办法》（财库〔2007〕119号）。",
        ),
        conditions=(
            "所需产品在中国境内无法获取或者无法以合理的商业条件获取；",
            "在采购活动开始前提出申请；",
            "已组织专家论证，专家组由五人以上单数组成，其中包括一名法律专家，产品技术专家为非本单位并熟悉该产品的专家。",
        ),
        materials=(
            Material("政府采购进口产品申请表"),
            Material("政府采购进口产品专家论证意见"),
            Material("进口产品所属行业主管部门意见", required=False, notes="属于国家限制进口产品的提供。"),
            Material("鼓励进口产品的国家法律法规政策文件", required=False, form=COPY,
                     notes="属于国家鼓励进口产品的提供。"),
        ),
        steps=_steps("审核同意或者不同意的决定", "材料齐全后"),
        statutory_days=20,
        promised_days=10,
        faqs=(
            ("审核同意采购进口产品后，国内产品还能参与竞争吗？",
             "能。采购文件应当载明可以采购进口产品；满足需求的国内产品要求参与竞争的，不得加以限制，应当按照公平竞争原则实施采购。"),
        ),
        fields=(
            FormField("purchaser", "采购人名称"),
            FormField("project_name", "采购项目名称"),
            FormField("product", "进口产品名称"),
            FormField("quantity", "数量", "number"),
            FormField("budget_amount", "预算金额（万元）", "number"),
            FormField("reason", "申请理由", "multiline", help_text="说明境内无法获取或者无法以合理的商业条件获取的情况。"),
            *CONTACT_FIELDS,
        ),
    ),
    Guide(
        slug="kuaiji-zige-kaoshi-shenhe",
        title="会计专业技术资格考试报名资格审核",
        code="000105009000",
        type=PUBLIC_SERVICE,
        body="各地会计专业技术资格考试管理机构",
        online=False,
        location="报考人员报名所在地的会计考试管理机构；报名在全国会计资格评价网进行。",
        intro="报考初级、中级会计专业技术资格考试的人员，由报名所在地会计考试管理机构审核报名资格。",
        basis=(
            "《会计专业技术资格考试暂行规定》（财会〔2000〕11号）及其实施办法。",
            "《关于深化会计人员职称制度改革的指导意见》（人社部发〔2019〕8号）。",
        ),
        conditions=(
            "报考初级资格：具备国家教育部门认可的高中毕业（含高中、中专、职高和技校）及以上学历；",
            "报考中级资格：具备大学专科学历，从事会计工作满5年；或者具备大学本科学历或学士学位，从事会计工作满4年；"
            "或者具备第二学士学位或研究生班毕业，从事会计工作满2年；或者具备硕士学位，从事会计工作满1年；或者具备博士学位；",
            "遵守《中华人民共和国会计法》和国家统一的会计制度等法律法规，具备良好的职业道德。",
        ),
        materials=(
            Material("居民身份证", form=ORIGINAL),
            Material("学历或者学位证书", form=ORIGINAL),
            Material("从事会计工作年限证明", required=False, form=ORIGINAL, notes="报考中级资格的提供，由所在单位出具。"),
        ),
        steps=(
            ("网上报名", "在全国会计资格评价网填写报名信息并缴费。"),
            ("资格审核", "报名所在地会计考试管理机构按公告的方式和时间审核报名条件，可能在考前或者考后进行。"),
            ("结果告知", "审核结果在报名所在地会计考试管理机构网站或者现场告知。"),
        ),
        statutory_days=10,
        promised_days=5,
        fees="资格审核不收费；考试费按所在地价格主管部门核定的标准收取。",
        faqs=(
            ("会计工作年限怎么计算？", "从事会计工作年限截止日期为报考年度的12月31日。"),
        ),
    ),
)


def _build_guide(spec: Guide, *, parent, published: dt.datetime) -> ServiceGuidePage:
    now = published
    page = ServiceGuidePage(
        title=spec.title, slug=spec.slug, live=True, first_published_at=now, last_published_at=now,
        search_description=spec.intro,
        service_code=spec.code, service_type=spec.type, implementing_body=spec.body,
        legal_basis=spec.legal_basis_html(), acceptance_conditions=spec.conditions_html(),
        location=spec.location, office_hours=OFFICE_HOURS,
        statutory_days=spec.statutory_days, promised_days=spec.promised_days, fees=spec.fees,
        consultation_phone=CONSULTATION_PHONE, complaint_phone=COMPLAINT_PHONE, online_filing_open=spec.online,
        materials=[
            ServiceMaterial(sort_order=i, name=m.name, required=m.required, form=m.form, copies=m.copies, notes=m.notes)
            for i, m in enumerate(spec.materials)
        ],
        steps=[ServiceStep(sort_order=i, name=name, description=text) for i, (name, text) in enumerate(spec.steps)],
        faqs=[ServiceFaq(sort_order=i, question=q, answer=a) for i, (q, a) in enumerate(spec.faqs)],
        form_fields=[
            ServiceFormField(sort_order=i, clean_name=f.name, label=f.label, field_type=f.type, required=f.required,
                             choices="\n".join(f.choices), help_text=f.help_text)
            for i, f in enumerate(spec.fields)
        ],
    )
    parent.add_child(instance=page)
    return page


def build_service_guides(*, parent, today: dt.date | None = None) -> list[ServiceGuidePage]:
    """The nine guides under `parent` (the 政务服务 column), each made only if its slug is not there yet; a guide
    is dated some weeks before `today` (a guide published the day the demo loaded reads as a stub)."""
    today = today or timezone.localdate()
    guides = []
    for number, spec in enumerate(GUIDES):
        page = ServiceGuidePage.objects.child_of(parent).filter(slug=spec.slug).first()
        published = _moment(today - dt.timedelta(days=30 + 11 * number), number)
        guides.append(page or _build_guide(spec, parent=parent, published=published))
    return guides


# ---------------------------------------------------------------------------------------------------------------
# Accounts


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str
    login_path: str


@dataclass
class ServicesDemo:
    guides: list[ServiceGuidePage]
    accounts: list[DemoAccount] = field(default_factory=list)

    def login_lines(self) -> list[str]:
        """What load_demo prints: who may log in where, with which password."""
        return [
            f"{account.role}：登录名 {account.username}  密码 {account.password}  （{account.login_path}）"
            for account in self.accounts
        ]


def _credentials_path():
    return settings.VAR_DIR / CREDENTIALS_FILE


def _stored_passwords() -> dict[str, str]:
    path = _credentials_path()
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _keep_password(username: str, password: str) -> None:
    path = _credentials_path()
    stored = _stored_passwords() | {username: password}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n")
    path.chmod(0o600)


def _password_of_existing(username: str) -> str:
    return _stored_passwords().get(username, EXISTING_PASSWORD)


DEMO_ENTERPRISE = {
    "name": "金财演示代理记账有限公司",
    "code": "91110108MA01JC8K2",  # the check character is computed
    "contact_name": "王敏",
    "phone": "13800000000",
    "email": "demo-enterprise@example.com",
}
STAFF = (
    # username, group; the name shown in the admin and in each case's history is 演示 + the group
    ("demo-intake", ROLE_GROUPS[Role.INTAKE]),
    ("demo-reviewer", ROLE_GROUPS[Role.REVIEWER]),
)


def _demo_enterprise() -> tuple[Applicant, DemoAccount]:
    code = DEMO_ENTERPRISE["code"] + uscc_check_char(DEMO_ENTERPRISE["code"])
    login = reverse("services_hall:login")
    applicant = Applicant.objects.filter(uscc=code).select_related("user").first()
    if applicant is not None:
        return applicant, DemoAccount("演示申请人（法人）", code, _password_of_existing(code), login)
    password = secrets.token_urlsafe(9)
    applicant = applicant_register(
        kind=Applicant.Kind.ENTERPRISE, name=DEMO_ENTERPRISE["name"], code=code, email=DEMO_ENTERPRISE["email"],
        phone=DEMO_ENTERPRISE["phone"], password=password, contact_name=DEMO_ENTERPRISE["contact_name"],
    )
    user = applicant.user
    user.is_active = True  # verified: the demo address receives no mail
    user.save(update_fields=["is_active"])
    _keep_password(code, password)
    return applicant, DemoAccount("演示申请人（法人）", code, password, login)


def _staff_accounts() -> list[tuple[object, DemoAccount]]:
    User = get_user_model()
    login = reverse("wagtailadmin_login")
    made = []
    for username, group in STAFF:
        user = User.objects.filter(username=username).first()
        label = f"演示{group}"
        if user is not None:
            made.append((user, DemoAccount(label, username, _password_of_existing(username), login)))
            continue
        password = secrets.token_urlsafe(9)
        user = User.objects.create_user(username, f"{username}@portal.example.gov.cn", password, first_name=label)
        user.groups.add(Group.objects.get(name=group))
        _keep_password(username, password)
        made.append((user, DemoAccount(label, username, password, login)))
    return made


def ensure_calendar_and_staff_groups() -> None:
    """The holiday table and the 受理员 / 审核员 groups, as migration 0002 makes them, if they are missing
    (a flushed test database has neither)."""
    groups_missing = Group.objects.filter(name__in=ROLE_GROUPS.values()).count() < len(ROLE_GROUPS)
    if not groups_missing and Holiday.objects.exists():
        return
    # The migration's own functions, run on the models as they stood at that migration.
    name = "0002_seed_holidays_and_staff_groups"
    migration = importlib.import_module(f"services_hall.migrations.{name}")
    state_apps = MigrationLoader(connection).project_state(("services_hall", name)).apps
    migration.seed_holidays(state_apps, None)
    migration.create_staff_groups(state_apps, None)


# ---------------------------------------------------------------------------------------------------------------
# Applications and letters: a queue with a case in every state, and published replies


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF (text in ASCII: the demo needs no embedded CJK font)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def demo_png() -> bytes:
    """A small scan-like PNG: a white sheet with a red seal."""
    image = Image.new("RGB", (240, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 229, 149), outline=(60, 60, 60), width=2)
    draw.ellipse((150, 70, 210, 130), outline=(200, 30, 30), width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass(frozen=True)
class Step:
    action: Action
    days_ago: int  # working days before today
    actor: str  # "intake" | "reviewer" | "applicant"
    comment: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    key: str  # the submit key: the case is made once
    guide: str  # slug
    applicant: str  # "demo" or a key of OTHER_APPLICANTS
    submitted_days_ago: int
    form: dict
    steps: tuple[Step, ...] = ()
    rating: int | None = None


OTHER_APPLICANTS = {
    # key: (name, 17 characters of the credit code, contact)
    "firm": ("京西示例会计师事务所（特殊普通合伙）", "91110102MA01JCDW3", "李强"),
    "bookkeeping": ("北京示例财务咨询有限公司", "91110105MA01JCBK7", "赵丽"),
    "appraisal": ("华北示例资产评估有限公司", "91110106MA01JCPG5", "孙伟"),
    "college": ("京西示例职业技术学院", "12110000MB01JCXY8", "周婷"),
}

CONTACT = {"contact_name": "王敏", "contact_phone": "010-66000000"}

CASES: tuple[Case, ...] = (
    # Concluded long ago: the demo enterprise's own licence, not yet rated (log in and rate it).
    Case("demo-licence", "dailijizhang-zige", "demo", 40, {
        "company_name": DEMO_ENTERPRISE["name"], "uscc": "(applicant)", "address": "北京市海淀区示例路1号",
        "supervisor": "王敏", "supervisor_qualification": "会计师及以上专业技术职务资格", "staff_count": "5", **CONTACT,
    }, steps=(
        Step(Action.ACCEPT, 39, "intake"),
        Step(Action.START_REVIEW, 37, "reviewer"),
        Step(Action.APPROVE, 33, "reviewer", "符合《代理记账管理办法》规定的条件，准予许可，代理记账许可证书已寄出。"),
        Step(Action.CLOSE, 32, "intake"),
    )),
    # Concluded and rated.
    Case("demo-disclosure", "zhengfu-xinxi-gongkai-shenqing", "demo", 30, {
        "applicant_name": DEMO_ENTERPRISE["name"], "id_type": "统一社会信用代码", "id_code": "(applicant)",
        "description": "2025年中央对地方转移支付管理办法的修订说明", "document_number": "", "delivery": "电子邮件",
        "carrier": "电子文本", "address": "", **CONTACT,
    }, steps=(
        Step(Action.ACCEPT, 30, "intake"),
        Step(Action.START_REVIEW, 28, "reviewer"),
        Step(Action.APPROVE, 22, "reviewer", "所申请的信息已主动公开，已通过电子邮件告知获取方式。"),
        Step(Action.CLOSE, 22, "intake"),
    ), rating=5),
    # Waiting for intake: filed yesterday.
    Case("demo-complaint", "zhengfu-caigou-tousu", "demo", 1, {
        "complainant": DEMO_ENTERPRISE["name"], "uscc": "(applicant)", "respondent": "示例采购代理有限公司",
        "project_name": "某中央预算单位2026年度代理记账服务采购项目", "project_code": "JC2026-FW-0131",
        "reply_date": "", "matters": "评审中对我公司的服务方案评分与采购文件规定的评分标准不一致。",
        "requests": "请求重新组织评审。", **CONTACT,
    }),
    # Overdue: accepted 21 working days ago on a 15-day promise, still in review.
    Case("firm-licence", "kuaijishi-shiwusuo-zhiye-xuke", "firm", 22, {
        "firm_name": OTHER_APPLICANTS["firm"][0], "organisation_form": "特殊普通合伙", "uscc": "(applicant)",
        "chief_partner": "李强", "cpa_count": "12", "premises": "北京市西城区示例大街8号", "contact_name": "李强",
        "contact_phone": "010-66000001",
    }, steps=(
        Step(Action.ACCEPT, 21, "intake"),
        Step(Action.START_REVIEW, 18, "reviewer"),
    )),
    # Due soon: accepted 8 working days ago on a 10-day promise.
    Case("bookkeeping-licence", "dailijizhang-zige", "bookkeeping", 9, {
        "company_name": OTHER_APPLICANTS["bookkeeping"][0], "uscc": "(applicant)", "address": "北京市朝阳区示例街3号",
        "supervisor": "赵丽", "supervisor_qualification": "从事会计工作不少于三年", "staff_count": "3",
        "contact_name": "赵丽", "contact_phone": "13800000002",
    }, steps=(Step(Action.ACCEPT, 8, "intake"),)),
    # Sent back for 补正, waiting for the applicant.
    Case("appraisal-filing", "zichan-pinggu-jigou-beian", "appraisal", 3, {
        "institution_name": OTHER_APPLICANTS["appraisal"][0], "organisation_form": "公司", "uscc": "(applicant)",
        "licensed_on": "(licensed_on)", "legal_representative": "孙伟", "appraiser_count": "9",
        "contact_name": "孙伟", "contact_phone": "13800000003",
    }, steps=(
        Step(Action.REQUEST_CORRECTION, 2, "intake", "请一次性补正以下材料后重新提交。",
             items=("公司章程（须全体股东签字）", "评估师职业资格证书复印件")),
    )),
    # In review.
    Case("college-method", "biangeng-caigou-fangshi", "college", 4, {
        "budget_unit": OTHER_APPLICANTS["college"][0], "supervising_unit": "示例部委（演示）",
        "project_name": "实训中心精密测量仪器维保服务", "budget_amount": "186.5", "proposed_method": "单一来源",
        "reason": "仪器为原厂专有技术，维保服务只能由原制造商提供，经专家论证无其他供应商可以提供。",
        "contact_name": "周婷", "contact_phone": "010-66000004",
    }, steps=(
        Step(Action.ACCEPT, 3, "intake"),
        Step(Action.START_REVIEW, 2, "reviewer"),
    )),
    # Not accepted: not this office's to decide.
    Case("college-import", "caigou-jinkou-chanpin-shenhe", "college", 12, {
        "purchaser": OTHER_APPLICANTS["college"][0], "project_name": "地方配套实验设备采购", "product": "高分辨率电子显微镜",
        "quantity": "1", "budget_amount": "420", "reason": "境内同类产品分辨率不能满足科研需要。",
        "contact_name": "周婷", "contact_phone": "010-66000004",
    }, steps=(
        Step(Action.REJECT, 10, "intake", "该项目使用地方财政资金，应向所在地设区的市级以上财政部门申请，不属于本机关受理范围。"),
    )),
)


def _working_day_before(today: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
    """The working day that lies `n` working days before today (today itself when n is 0)."""
    day = today
    while count_working_days(day, today, calendar=calendar) < n or not calendar.is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def _other_applicant(key: str) -> Applicant:
    """A filer in the queue: no login, no email or phone, so nobody is messaged about demo cases."""
    name, body, contact = OTHER_APPLICANTS[key]
    code = body + uscc_check_char(body)
    applicant = Applicant.objects.filter(uscc=code).first()
    if applicant is not None:
        return applicant
    User = get_user_model()
    user = User(username=code, first_name=name[:150], is_active=True)
    user.set_unusable_password()
    user.save()
    return Applicant.objects.create(user=user, kind=Applicant.Kind.ENTERPRISE, name=name, uscc=code,
                                    contact_name=contact)


@contextmanager
def _quiet_notifications() -> Iterator[None]:
    """Demo cases are history, not news: nobody is emailed or texted about them. The services schedule the
    notification they find at the moment of each step, so swapping it here silences exactly these steps."""
    saved = notifications.application_event_notify, notifications.letter_reply_notify
    notifications.application_event_notify = notifications.letter_reply_notify = lambda **kwargs: None
    try:
        yield
    finally:
        notifications.application_event_notify, notifications.letter_reply_notify = saved


def _files_for(guide: ServiceGuidePage) -> dict[int, list[SimpleUploadedFile]]:
    files = {}
    for index, material in enumerate(guide.materials.filter(required=True)):
        if "执照" in material.name or "证书" in material.name:
            files[material.pk] = [SimpleUploadedFile(f"material-{index + 1}.png", demo_png(), "image/png")]
        else:
            pdf = demo_pdf(f"Demo material {index + 1}")
            files[material.pk] = [SimpleUploadedFile(f"material-{index + 1}.pdf", pdf, "application/pdf")]
    return files


def _moment(day: dt.date, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)) + dt.timedelta(minutes=minute))


def _build_case(case: Case, *, guides: dict[str, ServiceGuidePage], applicants: dict[str, Applicant],
                staff: dict[str, object], today: dt.date, calendar: WorkCalendar) -> Application | None:
    applicant = applicants[case.applicant]
    if Application.objects.filter(applicant=applicant, idempotency_key=case.key).exists():
        return None
    guide = guides[case.guide]
    submitted_on = _working_day_before(today, case.submitted_days_ago, calendar)
    form = {
        name: {"(applicant)": applicant.uscc, "(licensed_on)": (submitted_on - dt.timedelta(days=12)).isoformat()}.get(
            value, value)
        for name, value in case.form.items()
    }
    application = application_submit(
        applicant=applicant, service=guide, form_data=form, materials=_files_for(guide), idempotency_key=case.key,
        now=_moment(submitted_on, 0),
    )
    for number, step in enumerate(case.steps, start=1):
        actor = applicant.user if step.actor == "applicant" else staff[step.actor]
        application = application_transition(
            application=application, action=step.action, actor=actor, comment=step.comment,
            correction_items=step.items, now=_moment(_working_day_before(today, step.days_ago, calendar), 60 * number),
        )
    if case.rating:
        closed_on = timezone.localdate(application.closed_at or application.decided_at)
        rating_submit(application=application, actor=applicant.user, level=case.rating,
                      now=_moment(closed_on, 60 * 7))
    return application


@dataclass(frozen=True)
class DemoLetter:
    kind: str
    subject: str
    body: str
    name: str
    phone: str
    received_days_ago: int
    reply_department: str = ""
    reply: str = ""
    replied_days_ago: int = 0
    consent: bool = True


LETTERS: tuple[DemoLetter, ...] = (
    DemoLetter(
        Letter.Kind.CONSULTATION, "代理记账机构的专职从业人员可以在两家机构兼职吗？",
        "我公司准备申请代理记账资格，现有一名会计同时在另一家代理记账公司挂名，能否计入我公司的专职从业人员？"
        "如需电话沟通请联系13912345678。",
        "陈晓明", "13912345678", 12, "会计司（演示）",
        "根据《代理记账管理办法》，专职从业人员是指仅在一个代理记账机构从事代理记账业务的人员。"
        "已在其他代理记账机构从业的人员不能计入贵公司的专职从业人员；申请时须提交每名专职从业人员在本机构专职从业的书面承诺。",
        9,
    ),
    DemoLetter(
        Letter.Kind.CONSULTATION, "政府采购投诉的期限从哪天开始计算？",
        "我单位于上周提出质疑，采购代理机构至今未答复。请问投诉期限如何计算？",
        "刘芳", "13800001234", 8, "国库司（政府采购管理办公室）（演示）",
        "根据《中华人民共和国政府采购法》第五十五条，采购人、采购代理机构未在规定的时间内作出答复的，供应商可以在答复期满后"
        "十五个工作日内向同级政府采购监督管理部门投诉。采购人、采购代理机构应当在收到书面质疑后七个工作日内作出答复，"
        "答复期满之日的次日起开始计算投诉期限。",
        5,
    ),
    DemoLetter(
        Letter.Kind.SUGGESTION, "建议办件查询页面显示预计办结日期",
        "网上申报后，希望在办件查询中直接看到预计办结日期，方便企业安排工作。",
        "张建华", "", 6, "信息网络中心（演示）",
        "感谢您的建议。办件受理后，办件查询页面已显示承诺办结日期和剩余工作日；补正期间计时暂停，补齐材料后重新计算并显示。",
        3,
    ),
    DemoLetter(
        Letter.Kind.COMPLAINT, "代理记账资格审批超过承诺时限",
        "我公司申请代理记账资格已受理十多个工作日，仍未收到结果，超过了办事指南承诺的10个工作日。",
        "吴磊", "13700005678", 5, "会计司（演示）",
        "经核实，您的申请因需核实专职从业人员情况，办理时间超出承诺时限，已于本周作出准予许可的决定并寄出许可证书。"
        "我们已对承办窗口提出整改要求，感谢您的监督。",
        2,
    ),
    # Waiting for its reply: the staff letter queue is not empty.
    DemoLetter(
        Letter.Kind.CONSULTATION, "会计师事务所分所的执业许可需要单独申请吗？",
        "我所计划在外省设立分所，请问分所的执业许可向哪个部门申请，需要哪些材料？",
        "郑华", "13600009876", 1,
    ),
    # Replied, but the writer did not agree to publication.
    DemoLetter(
        Letter.Kind.CONSULTATION, "资产评估机构备案材料的邮寄地址",
        "请问纸质备案材料应当寄往何处？", "冯敏", "13500004321", 7, "资产评估管理处（演示）",
        "本站网上申报的备案全程网上办理，无需邮寄纸质材料。", 6, consent=False,
    ),
)


def _build_letter(spec: DemoLetter, *, staff, today: dt.date, calendar: WorkCalendar) -> Letter | None:
    if Letter.objects.filter(subject=spec.subject).exists():
        return None
    letter = letter_submit(
        kind=spec.kind, subject=spec.subject, body=spec.body, name=spec.name, phone=spec.phone,
        email="" if spec.phone else "demo-writer@example.com", consent_publish=spec.consent,
        now=_moment(_working_day_before(today, spec.received_days_ago, calendar), 15),
    )
    if spec.reply:
        letter_reply(letter=letter, actor=staff, department=spec.reply_department, body=spec.reply,
                     now=_moment(_working_day_before(today, spec.replied_days_ago, calendar), 300))
    return letter


# ---------------------------------------------------------------------------------------------------------------


def build_services_demo(*, parent, today: dt.date | None = None) -> ServicesDemo:
    """The services hall's demo under `parent` (the 政务服务 SectionPage): guides, the demo enterprise and two
    staff accounts, applications in every state, and letters. Running it again adds nothing."""
    today = today or timezone.localdate()
    ensure_calendar_and_staff_groups()
    with transaction.atomic(), _quiet_notifications():
        guides = build_service_guides(parent=parent, today=today)
        enterprise, enterprise_account = _demo_enterprise()
        staff_accounts = _staff_accounts()
        staff = {"intake": staff_accounts[0][0], "reviewer": staff_accounts[1][0]}
        calendar = work_calendar()
        by_slug = {guide.slug: guide for guide in guides}
        applicants = {"demo": enterprise} | {key: _other_applicant(key) for key in OTHER_APPLICANTS}
        for case in CASES:
            _build_case(case, guides=by_slug, applicants=applicants, staff=staff, today=today, calendar=calendar)
        for letter in LETTERS:
            _build_letter(letter, staff=staff["intake"], today=today, calendar=calendar)
    return ServicesDemo(guides=guides, accounts=[enterprise_account, *(account for _, account in staff_accounts)])
