"""Who may read a resource's rows through the data API, and how often.

无条件开放: anyone. 有条件开放: only with an active key issued for that dataset (401 without a key, 403 with a bad,
revoked or other dataset's key). Requests are counted per client IP and, with a key, per key (429 with
Retry-After); the counters live in the default cache, shared by every worker once REDIS_URL is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

from opendata import keys
from opendata.models import ApiKey, DatasetPage
from portal.ratelimit import client_ip

KEY_MISSING = ("该数据资源为有条件开放：请在请求头 X-API-Key（或 Authorization: Bearer）中提供获批的接口密钥；"
               "还没有密钥的，请在数据资源页面申请。")
KEY_INVALID = "接口密钥无效：请检查是否完整复制了获批邮件中的密钥。"
KEY_REVOKED = "接口密钥已被吊销，不能再使用。"
KEY_OTHER_DATASET = "该接口密钥不适用于此数据资源：密钥只能用于获批申请的那个数据资源。"
RATE_LIMITED = "请求过于频繁，请稍后再试。"
WWW_AUTHENTICATE = 'Bearer realm="opendata"'


class Refused(Exception):
    """A request the data API answers with `status` and a JSON {"detail": message}."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Usage:
    limited: bool
    retry_after: int


def _usage(request, *, group: str, key, rate: str) -> Usage:
    usage = get_usage(request, group=group, key=key, rate=rate, method=get_usage.ALL, increment=True)
    if usage is None or not usage["should_limit"]:
        return Usage(False, 0)
    return Usage(True, max(1, usage["time_left"]))


def check_ip_rate(request, *, group: str = "opendata-api") -> None:
    """Count the request against its client IP; Refused(429) over OPENDATA_API_IP_RATE."""
    usage = _usage(request, group=group, key=client_ip, rate=settings.OPENDATA_API_IP_RATE)
    if usage.limited:
        raise Refused(429, RATE_LIMITED, headers={"Retry-After": str(usage.retry_after)})


def authorise(request, *, dataset: DatasetPage) -> ApiKey | None:
    """The key that lets this request read `dataset`'s rows (None when the data is open to all); Refused otherwise."""
    if dataset.data_is_public:
        return None
    presented = keys.from_headers(request.headers)
    if not presented:
        raise Refused(401, KEY_MISSING, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    parsed = keys.parse(presented)
    key = ApiKey.objects.filter(prefix=parsed[0]).first() if parsed else None
    if key is None or not keys.matches(parsed[1], key.secret_hash):
        raise Refused(403, KEY_INVALID)
    if not key.is_active:
        raise Refused(403, KEY_REVOKED)
    if key.dataset_id != dataset.pk:
        raise Refused(403, KEY_OTHER_DATASET)
    usage = _usage(request, group="opendata-api-key", key=lambda group, request: f"key:{key.prefix}",
                   rate=settings.OPENDATA_API_KEY_RATE)
    if usage.limited:
        raise Refused(429, RATE_LIMITED, headers={"Retry-After": str(usage.retry_after)})
    return key
