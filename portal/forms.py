"""Admin forms shared by the site."""

from django import forms
from wagtail.images.forms import BaseImageForm


class AltTextImageForm(BaseImageForm):
    """Image form whose description doubles as the required alt text.

    The multiple-upload step posts only a title and a file, so the description is
    required whenever the form actually shows the field (the add and edit forms).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].label = "替代文本"
            self.fields["description"].help_text = "供读屏软件朗读的图片说明，如“财政部办公楼外景”。必填。"

    def clean_description(self):
        description = (self.cleaned_data.get("description") or "").strip()
        if not description and self.add_prefix("description") in self.data:
            raise forms.ValidationError("请填写替代文本：看不到图片的读者依靠它了解图片内容。")
        return description


# The largest id any table of the portal can hold (a signed 64-bit BigAutoField).
MAX_ID = 2**63 - 1


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose value is range-checked before the query: 10^23 is "no such choice", not an
    OverflowError from the database driver."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip()
            if not text.isdigit() or int(text) > MAX_ID:
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
