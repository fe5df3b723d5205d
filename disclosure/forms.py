"""Forms of 依申请公开: what an application must hold (条例第二十九条), online and as registered by staff.

They parse and check input; services.py cleans again with the same form before anything is stored.
"""

import re

from django import forms

from services_hall.forms import HallFormMixin, ServiceErrorsMixin
from services_hall.validators import id_number_problem, normalize_code, uscc_problem

from .rules import (
    RECEIPT_RULES,
    ApplicantKind,
    Channel,
    Delivery,
    InformationForm,
    ReviewKind,
    ReviewResult,
    receipt_date,
)

PHONE = re.compile(r"(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})")
DESCRIPTION_MIN, DESCRIPTION_MAX = 5, 2000


class RequestForm(ServiceErrorsMixin, HallFormMixin, forms.Form):
    """The application itself: who asks, for what information, in which form and how it is to be delivered."""

    applicant_kind = forms.ChoiceField(label="申请人类型", choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    id_document = forms.CharField(
        label="身份证件号码或统一社会信用代码", max_length=40,
        help_text="自然人填写居民身份证号码，法人或其他组织填写统一社会信用代码。",
    )
    contact_name = forms.CharField(label="联系人", max_length=60, required=False,
                                   help_text="法人或其他组织填写经办人姓名。")
    phone = forms.CharField(label="联系电话", max_length=20)
    email = forms.EmailField(label="电子邮箱", required=False, error_messages={"invalid": "电子邮箱格式不正确。"})
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    description = forms.CharField(
        label="所需政府信息的名称、文号或特征性描述", max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="请写明信息的名称、文号，或便于查询的其他特征（如发布机关、时间、内容）。",
        error_messages={"max_length": f"信息描述不能超过{DESCRIPTION_MAX}字。"},
    )
    information_form = forms.ChoiceField(label="信息的指定提供形式", choices=InformationForm.choices,
                                         widget=forms.RadioSelect)
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices, widget=forms.RadioSelect)
    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("applicant_kind", "information_form", "delivery"):
            self.fields[name].error_messages["invalid_choice"] = f"请从列表中选择{self.fields[name].label}。"
        for name, field in self.fields.items():
            if getattr(field, "max_length", None) and name != "description":
                field.error_messages["max_length"] = f"{field.label}不能超过{field.max_length}字。"

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if len(text) < DESCRIPTION_MIN:
            raise forms.ValidationError("请具体描述所需的政府信息，便于查找。")
        return text

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip().replace(" ", "")
        if not PHONE.fullmatch(phone):
            raise forms.ValidationError("请填写有效的手机号码或固定电话（如 0591-87654321）。")
        return phone

    def clean(self):
        data = super().clean()
        kind, code = data.get("applicant_kind"), data.get("id_document")
        if kind and code:
            code = normalize_code(code)
            problem = id_number_problem(code) if kind == ApplicantKind.NATURAL_PERSON else uscc_problem(code)
            if problem:
                self.add_error("id_document", problem)
            else:
                data["id_document"] = code
        if data.get("delivery") == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择以电子邮件获取信息的，请填写电子邮箱。")
        return data

    @property
    def idempotency_key_value(self) -> str:
        return (self.data.get("idempotency_key") or "").strip()

    def request_data(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields if name != "idempotency_key"}


class RegisterForm(RequestForm):
    """A letter, fax or visit registered by staff: the channel and the dates that fix the date of receipt."""

    channel = forms.ChoiceField(label="提交方式", choices=Channel.choices)
    arrived_on = forms.DateField(label="申请到达日期", error_messages={"invalid": "请按 2026-11-23 的格式填写日期。"})
    fixed_on = forms.DateField(
        label="签收或确认日期", required=False,
        help_text="；".join(f"{c.label}：{r.basis}" for c, r in RECEIPT_RULES.items()),
        error_messages={"invalid": "请按 2026-11-23 的格式填写日期。"},
    )

    def clean(self):
        data = super().clean()
        if data.get("channel") and data.get("arrived_on"):
            try:
                data["received_on"] = receipt_date(
                    channel=data["channel"], arrived_on=data["arrived_on"], fixed_on=data.get("fixed_on")
                )
            except ValueError as problem:
                self.add_error("fixed_on", str(problem))
        return data

    def request_data(self) -> dict:
        return super().request_data() | {n: self.data.get(n, "") for n in ("channel", "arrived_on", "fixed_on")}


DATE_INVALID = {"invalid": "请按 2026-11-23 的格式填写日期。"}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviewForm(forms.Form):
    """登记行政复议或行政诉讼 against an answered request (staff, in the request's admin screen)."""

    kind = forms.ChoiceField(label="类型", choices=ReviewKind.choices,
                             error_messages={"required": "请选择行政复议或行政诉讼。",
                                             "invalid_choice": "请选择行政复议或行政诉讼。"})
    after_reconsideration = forms.BooleanField(label="复议后起诉（仅行政诉讼）", required=False)
    filed_on = forms.DateField(label="提起日期", widget=_date_widget(), error_messages={"required": "请填写提起日期。", **DATE_INVALID})
    result = forms.ChoiceField(label="结果", choices=ReviewResult.choices, initial=ReviewResult.PENDING,
                               error_messages={"required": "请选择审理结果。", "invalid_choice": "请选择审理结果。"})
    decided_on = forms.DateField(label="审结日期（尚未审结的不填）", required=False, widget=_date_widget(),
                                 error_messages=DATE_INVALID)
    note = forms.CharField(label="备注", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": "备注不能超过500字。"})


class ReviewDecideForm(forms.Form):
    """The result of a pending 行政复议 or 行政诉讼."""

    result = forms.ChoiceField(
        label="结果", choices=[(v, label) for v, label in ReviewResult.choices if v != ReviewResult.PENDING],
        error_messages={"required": "请选择审理结果。", "invalid_choice": "请选择审理结果。"},
    )
    decided_on = forms.DateField(label="审结日期", widget=_date_widget(), error_messages={"required": "请填写审结日期。", **DATE_INVALID})
