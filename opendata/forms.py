"""Forms: the dataset page (data dictionary checks), the resource upload, and the public access application."""

from __future__ import annotations

import re

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from opendata import rules
from opendata.files import IngestError, format_for, size_error


class DatasetPageForm(WagtailAdminPageForm):
    """Checks the 信息项 as a whole: unique field names, at most four indexed fields of each kind."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("data_fields") if hasattr(self, "formsets") else None
        if formset is not None and formset.is_valid():
            specs = [
                rules.FieldSpec(name=form.cleaned_data.get("name", ""), type=form.cleaned_data.get("field_type", ""),
                                indexed=bool(form.cleaned_data.get("indexed")))
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            for message in rules.data_field_errors(specs):
                self.add_error(None, f"信息项：{message}")
        return cleaned


class ResourceForm(WagtailAdminModelForm):
    """A resource with its file: uploading a file imports it; "重新导入" re-reads the stored file."""

    upload = forms.FileField(label="数据文件", required=False,
                             help_text="CSV（UTF-8 或 GBK/GB18030 编码）、XLSX 或 JSON（对象数组）。"
                                       "导入失败时原有数据保持不变，并提示出错的行和列。")
    reingest = forms.BooleanField(label="按当前信息项重新导入已上传的文件", required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is None and not self.instance.pk:
            self.add_error("upload", "请上传数据文件。")
        if upload is not None:
            if error := size_error(upload.size or 0):
                self.add_error("upload", error.message)
            else:
                try:
                    self.instance.format = format_for(upload.name or "")
                except IngestError as error:
                    self.add_error("upload", error.message)
        if cleaned.get("reingest") and upload is None and not (self.instance.pk and self.instance.file):
            self.add_error("reingest", "还没有已上传的文件可以重新导入。")
        return cleaned


# --- the public access application (有条件开放) ----------------------------------------------------------------

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")
PURPOSE_MIN_LENGTH = 20


class AccessApplicationForm(forms.Form):
    applicant_name = forms.CharField(label="申请人姓名", max_length=50, min_length=2)
    organisation = forms.CharField(label="工作单位", max_length=100, help_text="个人申请请填写“个人”。")
    email = forms.EmailField(label="电子邮箱", max_length=254, help_text="审核结果和接口密钥将发送到该邮箱。")
    phone = forms.CharField(label="联系电话", max_length=30, help_text="手机号码或带区号的固定电话，如 010-68551114。")
    purpose = forms.CharField(
        label="用途说明", min_length=PURPOSE_MIN_LENGTH, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"说明使用数据的目的、范围和方式（{PURPOSE_MIN_LENGTH}–1000 字）。",
    )
    agree = forms.BooleanField(label="我承诺按开放条件使用数据，不转让、不用于非法用途，并妥善保管接口密钥。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "required": "请填写此项。",
            "max_length": "不能超过 %(limit_value)d 个字符（现有 %(show_value)d 个）。",
            "min_length": "至少 %(limit_value)d 个字符（现有 %(show_value)d 个）。",
        }
        for field in self.fields.values():
            field.error_messages.update(messages)
        self.fields["email"].error_messages["invalid"] = "请填写有效的电子邮箱地址。"
        self.fields["agree"].error_messages["required"] = "请阅读并勾选使用承诺。"

    def clean_phone(self) -> str:
        phone = "".join(self.cleaned_data["phone"].split()).removeprefix("+86")
        if not PHONE_RE.match(phone):
            raise forms.ValidationError("请填写有效的手机号码（11 位）或带区号的固定电话。")
        return phone

    def clean_applicant_name(self) -> str:
        return " ".join(self.cleaned_data["applicant_name"].split())
