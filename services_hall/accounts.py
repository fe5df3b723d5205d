"""Applicant accounts: registration and email verification.

A new account is inactive — it cannot log in, so it cannot file — until its owner opens the signed link sent to
the email address given at registration. Writes are keyword-only and raise ValidationError keyed by field.
"""

import logging
from enum import Enum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from .models import Applicant
from .validators import id_number_problem, normalize_code, uscc_problem

logger = logging.getLogger(__name__)


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token (valid PASSWORD_RESET_TIMEOUT, 3 days by default), but salted apart from it.

    The hash covers is_active and last_login, so a link works once: after activation, or after any login,
    it no longer matches — an old link cannot re-open an account that staff later deactivated.
    """

    key_salt = "services_hall.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


email_verification_token = EmailVerificationTokenGenerator()


def _code_field(kind: Applicant.Kind) -> str:
    return "uscc" if kind == Applicant.Kind.ENTERPRISE else "id_number"


class AccountExists(Exception):
    """The identity code or the email address already belongs to `user`.

    The page must not say so (that would tell anyone whether a 身份证号 has an account): the view answers as for a
    new registration and mails the existing account's owner instead (account_exists_email_send).
    """

    def __init__(self, user: AbstractBaseUser):
        super().__init__("account exists")
        self.user = user


def applicant_register(
    *,
    kind: Applicant.Kind | str,
    name: str,
    code: str,
    email: str,
    phone: str,
    password: str,
    contact_name: str = "",
) -> Applicant:
    """Create an inactive account and its applicant (an enterprise by 统一社会信用代码, a person by 居民身份证号).

    The identity code is the login name; AccountExists when the code or the email address is already taken.
    """
    kind = Applicant.Kind(kind)
    code = normalize_code(code)
    field = _code_field(kind)
    user_model = get_user_model()
    problem = uscc_problem(code) if kind == Applicant.Kind.ENTERPRISE else id_number_problem(code)
    if problem:
        raise ValidationError({field: [problem]})
    email = email.strip()
    existing = (
        user_model.objects.filter(**{user_model.USERNAME_FIELD: code}).first()
        or user_model.objects.filter(**{f"applicant__{field}": code}).first()
        or user_model.objects.filter(email__iexact=email).first()
    )
    if existing is not None:
        raise AccountExists(existing)

    try:
        with transaction.atomic():
            user = user_model(**{user_model.USERNAME_FIELD: code}, email=email, is_active=False)
            user.first_name = name.strip()[:150]
            user.set_password(password)
            user.save()
            return Applicant.objects.create(
                user=user, kind=kind, name=name.strip(), contact_name=contact_name.strip(), phone=phone.strip(),
                uscc=code if kind == Applicant.Kind.ENTERPRISE else "",
                id_number=code if kind == Applicant.Kind.INDIVIDUAL else "",
            )
    except IntegrityError:
        # The same code registered a moment ago by a concurrent request.
        raise AccountExists(user_model.objects.get(**{user_model.USERNAME_FIELD: code})) from None


def account_exists_email_send(*, user: AbstractBaseUser, login_link: str, reset_link: str,
                              site_name: str = "金财门户") -> None:
    """Tell the owner of an existing account that someone tried to register with its code or address."""
    if not user.email:
        return
    subject = f"【{site_name}】有人尝试用您的信息重复注册"
    body = (
        f"{user.first_name or user.get_username()}：\n\n"
        f"您好！刚才有人在{site_name}政务服务大厅用您账户的证件号码或邮箱提交了注册。您的账户已存在，无需重新注册。\n\n"
        f"登录：{login_link}\n忘记密码：{reset_link}\n\n"
        "如果这不是您本人的操作，请忽略本邮件，您的账户不受影响。"
    )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — the answer to the page must not differ from a new registration
        logger.exception("重复注册提示邮件发送失败：%s", user.pk)


def verification_path_args(user: AbstractBaseUser) -> tuple[str, str]:
    """(uidb64, token) for the verification link of `user`."""
    return urlsafe_base64_encode(force_bytes(user.pk)), email_verification_token.make_token(user)


def verification_email_send(*, user: AbstractBaseUser, link: str, site_name: str = "金财门户") -> None:
    """Send the verification link. A mail failure is logged, not raised: the applicant can ask for it again."""
    subject = f"【{site_name}】请验证您的邮箱，完成注册"
    body = (
        f"{user.first_name or user.get_username()}：\n\n"
        f"您好！您在{site_name}政务服务大厅注册了账户（登录名 {user.get_username()}）。\n"
        f"请在 3 日内打开下面的链接验证邮箱，验证后即可登录并在线申报：\n\n{link}\n\n"
        "如果这不是您本人的操作，请忽略本邮件，账户不会被激活。"
    )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # noqa: BLE001 — the account is saved; a lost mail must not become a 500
        logger.exception("验证邮件发送失败：%s", user.pk)


class Verification(Enum):
    VERIFIED = "verified"
    INVALID = "invalid"


def applicant_email_verify(*, uidb64: str, token: str) -> Verification:
    """Activate the applicant account that the link names, if the token is still valid for it."""
    user_model = get_user_model()
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = user_model.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, user_model.DoesNotExist, ValidationError):
        return Verification.INVALID
    if not email_verification_token.check_token(user, token):
        return Verification.INVALID
    with transaction.atomic():
        locked = user_model.objects.select_for_update().get(pk=user.pk)
        if locked.is_active or not Applicant.objects.filter(user=locked).exists():
            return Verification.INVALID
        locked.is_active = True
        locked.save(update_fields=["is_active"])
    return Verification.VERIFIED


def unverified_user_by_email(*, email: str) -> AbstractBaseUser | None:
    """The applicant account waiting for verification under `email` (never logged in), or None."""
    email = email.strip()
    if not email:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=email, is_active=False, last_login__isnull=True, applicant__isnull=False)
        .first()
    )
