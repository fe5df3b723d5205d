"""Forms of the applicant pages. They parse and show input; the rules are checked by validators.py and
services.py / accounts.py, whose errors (keyed by field) are put back on the form here."""

import re

from django import forms
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from wagtail.contrib.forms.forms import FormBuilder

from .models import Applicant, Rating, ServiceFormField, ServiceMaterial
from .uploads import ALLOWED_LABEL, max_upload_bytes
from .validators import id_number_problem, normalize_code, uscc_problem

MOBILE = re.compile(r"1[3-9]\d{9}")


class ServiceErrorsMixin:
    """Put a service's ValidationError (a dict keyed by field) on the form, without repeating a message."""

    # Service keys that are not form fields but still belong next to something on the page.
    extra_error_keys: tuple[str, ...] = ()

    def add_service_errors(self, error: ValidationError) -> None:
        self.extra_errors: dict[str, list[str]] = getattr(self, "extra_errors", {})
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for key, texts in messages.items():
            field = self.service_error_field(key)
            for text in texts:
                if field in self.extra_error_keys:
                    if text not in self.extra_errors.setdefault(field, []):
                        self.extra_errors[field].append(text)
                elif field in self.fields:
                    if text not in self.errors.get(field, []):
                        self.add_error(field, text)
                elif text not in self.non_field_errors():
                    self.add_error(None, text)

    def service_error_field(self, key: str) -> str:
        return key


class HallFormMixin:
    """Chinese forms without the colon after labels; a missing field is named (“请填写电子邮箱。”)."""

    name_missing_fields = True

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if self.name_missing_fields:
            for field in self.fields.values():
                field.error_messages["required"] = f"请填写{field.label}。"


# ---------------------------------------------------------------------------------------------------------------
# Accounts


class RegistrationForm(ServiceErrorsMixin, HallFormMixin, forms.Form):
    """The fields both kinds of applicant fill in; each kind adds its identity code."""

    kind: Applicant.Kind
    code_field: str

    email = forms.EmailField(
        label="电子邮箱", max_length=254, help_text="用于验证账户、接收办理进度通知和找回密码。",
        error_messages={"invalid": "请输入有效的电子邮箱地址，如 name@example.com。"},
    )
    phone = forms.CharField(label="手机号码", max_length=20, help_text="11位手机号码，用于接收办理进度短信。")
    password1 = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少8位，不能全为数字，不能与账户信息过于相似。",
    )
    password2 = forms.CharField(
        label="确认密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean_phone(self) -> str:
        phone = "".join(self.cleaned_data["phone"].split()).removeprefix("+86")
        if not MOBILE.fullmatch(phone):
            raise ValidationError("请输入正确的11位手机号码。")
        return phone

    def _clean_identity_code(self) -> str:
        code = normalize_code(self.cleaned_data[self.code_field])
        problem = uscc_problem(code) if self.kind == Applicant.Kind.ENTERPRISE else id_number_problem(code)
        if problem:
            raise ValidationError(problem)
        return code

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "两次输入的密码不一致。")
        elif password1:
            # Judged against what the applicant typed, so 'similar to your email or name' is caught.
            user = get_user_model()(
                username=cleaned.get(self.code_field, ""), email=cleaned.get("email", ""),
                first_name=cleaned.get("name", "")[:150],
            )
            try:
                password_validation.validate_password(password1, user)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def registration_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": self.kind, "name": data["name"], "code": data[self.code_field], "email": data["email"],
            "phone": data["phone"], "password": data["password1"], "contact_name": data.get("contact_name", ""),
        }


class EnterpriseRegistrationForm(RegistrationForm):
    kind = Applicant.Kind.ENTERPRISE
    code_field = "uscc"

    uscc = forms.CharField(
        label="统一社会信用代码", max_length=30, help_text="18位，见营业执照；字母不分大小写。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label="单位名称", max_length=200, help_text="与营业执照上的名称一致。")
    contact_name = forms.CharField(label="联系人", max_length=60)
    field_order = ["uscc", "name", "contact_name", "phone", "email", "password1", "password2"]

    def clean_uscc(self) -> str:
        return self._clean_identity_code()


class IndividualRegistrationForm(RegistrationForm):
    kind = Applicant.Kind.INDIVIDUAL
    code_field = "id_number"

    name = forms.CharField(label="姓名", max_length=60)
    id_number = forms.CharField(
        label="居民身份证号", max_length=30, help_text="18位，最后一位可能是 X。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    field_order = ["name", "id_number", "phone", "email", "password1", "password2"]

    def clean_id_number(self) -> str:
        return self._clean_identity_code()


REGISTRATION_FORMS = {
    Applicant.Kind.ENTERPRISE: EnterpriseRegistrationForm,
    Applicant.Kind.INDIVIDUAL: IndividualRegistrationForm,
}


class ApplicantLoginForm(HallFormMixin, AuthenticationForm):
    """Log in with the 统一社会信用代码 / 身份证号 registered, or the email address; tells an unverified account so."""

    error_messages = {
        "invalid_login": "登录名或密码不正确，请重新输入。",
        "inactive": "该账户尚未验证邮箱：请打开注册时发到您邮箱的验证链接，完成验证后再登录。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "统一社会信用代码 / 身份证号 / 邮箱"
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254
        self.fields["password"].label = "密码"

    @staticmethod
    def username_for(login: str) -> str:
        user_model = get_user_model()
        login = login.strip()
        if not login.isprintable():  # control characters (a NUL byte) name no account; never sent to the database
            return login
        if "@" in login:
            user = user_model.objects.filter(email__iexact=login).only(user_model.USERNAME_FIELD).first()
            return user.get_username() if user else login
        code = normalize_code(login)
        if code != login and user_model.objects.filter(**{user_model.USERNAME_FIELD: code}).exists():
            return code
        return login

    def clean(self):
        login, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if login and password:
            username = self.username_for(login)
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                user_model = get_user_model()
                waiting = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}, is_active=False).first()
                if waiting is not None and waiting.check_password(password):
                    raise ValidationError(self.error_messages["inactive"], code="inactive")
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ResendVerificationForm(HallFormMixin, forms.Form):
    email = forms.EmailField(
        label="注册时填写的电子邮箱", max_length=254, error_messages={"invalid": "请输入有效的电子邮箱地址。"}
    )


class HallPasswordResetForm(HallFormMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "注册时填写的电子邮箱"

    def get_users(self, email):
        """Only applicant accounts: a staff or superuser password is never reset through the public hall (the
        admin has its own, second-factor-protected way), whatever address is typed here."""
        return (
            user for user in super().get_users(email)
            if not (user.is_staff or user.is_superuser) and Applicant.objects.filter(user=user).exists()
        )


class HallSetPasswordForm(HallFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "确认新密码"


# ---------------------------------------------------------------------------------------------------------------
# Filing


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialFileField(forms.FileField):
    """Only carries the upload input: files are checked by content in services.application_submit (check_upload)."""

    widget = MultipleFileInput

    def __init__(self, *, material: ServiceMaterial | None = None, **kwargs):
        self.material = material
        super().__init__(required=False, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["accept"] = ".pdf,.ofd,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        return attrs

    def clean(self, data, initial=None):
        return data


def upload_hint() -> str:
    size = max_upload_bytes()
    limit = f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"
    return f"支持 {ALLOWED_LABEL} 格式，每个文件不超过 {limit}；可选择多个文件。"


class ApplicationForm(ServiceErrorsMixin, HallFormMixin, forms.Form):
    """The online form of one guide: the fields editors defined, one upload input per required material, and the
    idempotency key drawn when the form was shown (a second POST with it returns the first application)."""

    extra_error_keys = ("materials",)
    # The guide's fields keep Django's wording: the service checks them again and says the same, shown once.
    name_missing_fields = False

    idempotency_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, guide_fields: list[ServiceFormField], materials: list[ServiceMaterial], **kwargs):
        super().__init__(*args, **kwargs)
        self.guide_field_names = []
        for name, field in FormBuilder(guide_fields).formfields.items():
            if name in self.fields:  # an editor's field named like ours: ours wins, theirs is skipped
                continue
            self.fields[name] = field
            self.guide_field_names.append(name)
        self.materials = materials
        for material in materials:
            self.fields[self.material_field_name(material.pk)] = MaterialFileField(
                label=material.name, material=material, help_text=material.notes
            )

    @staticmethod
    def material_field_name(pk: int) -> str:
        return f"material_{pk}"

    def guide_fields(self):
        return [self[name] for name in self.guide_field_names]

    def material_fields(self):
        return [self[self.material_field_name(m.pk)] for m in self.materials]

    def guide_data(self) -> dict:
        """The submitted values of the guide's fields, as the service's FormBuilder form expects them."""
        data = {}
        for name in self.guide_field_names:
            if name not in self.data:
                continue
            multiple = getattr(self.fields[name].widget, "allow_multiple_selected", False)
            data[name] = self.data.getlist(name) if multiple else self.data.get(name)
        return data

    def material_files(self) -> dict[int, list]:
        files = {}
        for material in self.materials:
            uploads = [f for f in self.files.getlist(self.material_field_name(material.pk)) if f]
            if uploads:
                files[material.pk] = uploads
        return files

    @property
    def idempotency_key_value(self) -> str:
        return (self.data.get("idempotency_key") or "").strip()


# ---------------------------------------------------------------------------------------------------------------
# The applicant's application page


class SupplementForm(ServiceErrorsMixin, HallFormMixin, forms.Form):
    """补正: one upload input per requested item; all of them are answered at once."""

    extra_error_keys = ("materials",)

    comment = forms.CharField(
        label="补正说明（选填）", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, items: list[str], **kwargs):
        kwargs.setdefault("auto_id", "supplement_%s")  # ids stay unique beside the other forms of the page
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = MaterialFileField(label=item)

    def item_fields(self):
        return [self[f"item_{index}"] for index in range(len(self.items))]

    def service_error_field(self, key: str) -> str:
        # application_supplement keys a bad file by the requested item's text.
        return f"item_{self.items.index(key)}" if key in self.items else key

    def material_files(self) -> dict[str, list]:
        files = {}
        for index, item in enumerate(self.items):
            uploads = [f for f in self.files.getlist(f"item_{index}") if f]
            if uploads:
                files[item] = uploads
        return files


class WithdrawForm(HallFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withdraw_%s")
        super().__init__(*args, **kwargs)

    comment = forms.CharField(
        label="撤回原因（选填）", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RatingForm(ServiceErrorsMixin, HallFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "rating_%s")
        super().__init__(*args, **kwargs)

    level = forms.TypedChoiceField(
        label="评价", choices=Rating.Level.choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "请选择评价等级。", "invalid_choice": "请选择评价等级。"},
    )
    reason = forms.CharField(
        label="评价理由", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="选择“不满意”或“非常不满意”时必填，我们将在15个工作日内核实整改并回复。",
    )
