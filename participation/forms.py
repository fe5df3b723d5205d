"""The public forms: a comment on a consultation and a question to an interview (surveys build theirs from the
questionnaire, see views.survey_page)."""

from django import forms

from . import rules


class CommentForm(forms.Form):
    # A hard cap on what is stored, whitespace included (the 字数 limit below does not count whitespace).
    body = forms.CharField(label="意见内容", max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写意见内容。", "max_length": "意见内容过长。"})
    name = forms.CharField(label="姓名或单位（选填）", max_length=60, required=False,
                           error_messages={"max_length": "姓名或单位最多 %(limit_value)d 个字。"})
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=100, required=False,
                              error_messages={"max_length": "联系方式最多 %(limit_value)d 个字。"})

    def __init__(self, *args, max_chars: int, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.max_chars = max_chars
        self.fields["body"].help_text = f"不超过 {max_chars} 字。留言经审核后公开显示，姓名或单位可不填。"
        self.fields["body"].widget.attrs["data-max-chars"] = str(max_chars)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        count = rules.character_count(body)
        if count > self.max_chars:
            raise forms.ValidationError(f"意见内容最多 {self.max_chars} 字（现有 {count} 字）。")
        return body


class QuestionForm(forms.Form):
    body = forms.CharField(label="您的问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写您的问题。", "max_length": "问题过长。"})
    name = forms.CharField(label="昵称（选填）", max_length=40, required=False,
                           error_messages={"max_length": "昵称最多 %(limit_value)d 个字。"})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def add_service_errors(form: forms.Form, error) -> None:
    """A service's ValidationError (a dict keyed by field) shown beside the same fields."""
    messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for key, texts in messages.items():
        for text in texts:
            form.add_error(key if key in form.fields else None, text)
