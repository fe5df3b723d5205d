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
