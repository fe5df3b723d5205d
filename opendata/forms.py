"""Admin forms: the dataset page (data dictionary checks) and the resource upload."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from opendata import rules


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
        from opendata.ingest import IngestError, format_for, size_error

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
