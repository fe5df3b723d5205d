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
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

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

ELECTRONIC = ServiceMaterial.Form.ELECTRONIC

CONSULTATION_PHONE = "010-68550000（演示）"
COMPLAINT_PHONE = "010-68559999（演示）"
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


def _guide(data: dict) -> Guide:
    """A guide as demo/data/service_guides.toml writes it (lists as tuples, choices by value)."""
    return Guide(**{
        **data,
        "type": ServiceGuidePage.ServiceType(data["type"]),
        "basis": tuple(data["basis"]),
        "conditions": tuple(data["conditions"]),
        "materials": tuple(Material(**{**m, "form": ServiceMaterial.Form(m.get("form", ELECTRONIC))})
                           for m in data["materials"]),
        "steps": tuple(tuple(step) for step in data["steps"]),
        "faqs": tuple(tuple(faq) for faq in data["faqs"]),
        "fields": tuple(FormField(**{**f, "choices": tuple(f.get("choices", ()))}) for f in data.get("fields", ())),
    })


# The nine guides are data: demo/data/service_guides.toml.
with (Path(__file__).resolve().parent / "data" / "service_guides.toml").open("rb") as _file:
    GUIDES: tuple[Guide, ...] = tuple(_guide(data) for data in tomllib.load(_file)["guides"])


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


def _case(data: dict) -> Case:
    return Case(**{
        **data,
        "form": dict(data["form"]),
        "steps": tuple(Step(**{**step, "action": Action(step["action"]), "items": tuple(step.get("items", ()))})
                       for step in data.get("steps", ())),
    })


with (Path(__file__).resolve().parent / "data" / "hall_cases.toml").open("rb") as _file:
    _HALL = tomllib.load(_file)
# Applications in every state of the workflow, and letters (demo/data/hall_cases.toml).
CASES: tuple[Case, ...] = tuple(_case(data) for data in _HALL["case"])


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
    placeholders = {
        "(applicant)": applicant.uscc, "(applicant name)": applicant.name,
        "(licensed_on)": (submitted_on - dt.timedelta(days=12)).isoformat(),
    }
    form = {name: placeholders.get(value, value) for name, value in case.form.items()}
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


LETTERS: tuple[DemoLetter, ...] = tuple(
    DemoLetter(**{**data, "kind": Letter.Kind(data["kind"])}) for data in _HALL["letter"]
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
