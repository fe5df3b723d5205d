"""Page-number pagination that answers bad input with a 400 and a Chinese message."""

from django.core.exceptions import BadRequest
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property

from portal.cache import cached_for_content

MAX_PAGE_PARAM_LENGTH = 6


def parse_page_number(raw: str | None) -> int:
    """The 1-based page number in `raw` (absent means 1); BadRequest naming the parameter otherwise."""
    if raw is None or raw == "":
        return 1
    if len(raw) > MAX_PAGE_PARAM_LENGTH or not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise BadRequest("参数 page 无效：页码应为正整数。")
    return int(raw)


def paginate(request, object_list, *, per_page: int, paginator_class=Paginator) -> PaginatorPage:
    number = parse_page_number(request.GET.get("page"))
    paginator = paginator_class(object_list, per_page, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise Http404("页码超出范围。")
    return paginator.page(number)


class CachedCountPaginator(Paginator):
    """Counting a large column (or a topic's tagged pages) costs a scan; the count is kept until the published
    content changes."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return cached_for_content(f"count:{self.count_key}", lambda: Paginator.count.func(self))
