#!/usr/bin/env python3
"""Check the portal's CKAN Action API with the `ckanapi` client that CKAN users already have.

Lists the packages, searches them with a Chinese query and facets, and shows one package, printing what it
found. Run it against a running portal (`make run`, with the demo loaded):

    .venv/bin/python scripts/ckan_check.py                          # http://127.0.0.1:8000
    .venv/bin/python scripts/ckan_check.py https://data.example.gov.cn --q 转移支付

Exit status: 0 when every step answered and found something; 1 when a step failed or found nothing.
"""

from __future__ import annotations

import argparse
import sys

import requests
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_QUERY = "预算"
DEFAULT_FACETS = ("organization", "groups", "res_format")
USER_AGENT = "jincai-ckan-check/1 (+ckanapi)"


class CheckFailed(Exception):
    """A step answered, but not with what a CKAN client needs."""


class TimeoutSession(requests.Session):
    # ckanapi takes a session but no timeout; a portal that hangs should fail the check, not stall it.
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super().request(*args, **kwargs)


def check(ckan: RemoteCKAN, *, q: str, facets: list[str], out=print) -> dict:
    """Run the three steps, printing as it goes; returns the package shown. Raises CheckFailed or ckanapi's errors."""
    names = ckan.action.package_list()
    if not names:
        raise CheckFailed("package_list 没有返回任何数据资源。")
    out(f"package_list：{len(names)} 个数据资源，如 {'、'.join(names[:5])}")

    found = ckan.action.package_search(q=q, rows=5, **{"facet.field": facets})
    if not found.get("count"):
        raise CheckFailed(f"package_search q={q!r} 没有找到数据资源。")
    out(f"package_search q={q}：共 {found['count']} 个")
    for package in found["results"]:
        organization = (package.get("organization") or {}).get("title", "")
        out(f"  - {package['name']}：{package['title']}（{organization}）")
    for field in facets:
        items = found.get("search_facets", {}).get(field, {}).get("items", [])
        if items:
            shown = "，".join(f"{item['display_name']} {item['count']}" for item in items)
        else:
            shown = "，".join(f"{name} {count}" for name, count in found.get("facets", {}).get(field, {}).items())
        out(f"  分面 {field}：{shown or '（无）'}")

    name = found["results"][0]["name"] if found["results"] else names[0]
    package = ckan.action.package_show(id=name)
    if package.get("name") != name:
        raise CheckFailed(f"package_show id={name!r} 返回了另一个数据资源：{package.get('name')!r}。")
    out(f"package_show {name}：{package['title']}")
    out(f"  提供方：{(package.get('organization') or {}).get('title', '—')}；"
        f"主题：{'、'.join(group['title'] for group in package.get('groups', [])) or '—'}；"
        f"关键词：{'、'.join(tag['name'] for tag in package.get('tags', [])) or '—'}")
    for resource in package.get("resources", []):
        out(f"  资源 {resource.get('name', '')}（{resource.get('format', '')}）：{resource.get('url', '')}")
    return package


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="用 ckanapi 检查门户的 CKAN Action API。")
    parser.add_argument("url", nargs="?", default=DEFAULT_URL, help=f"门户地址（默认 {DEFAULT_URL}）")
    parser.add_argument("--q", default=DEFAULT_QUERY, help=f"package_search 的查询词（默认 {DEFAULT_QUERY}）")
    parser.add_argument("--facet", action="append", dest="facets",
                        help=f"分面字段，可重复（默认 {' '.join(DEFAULT_FACETS)}）")
    parser.add_argument("--timeout", type=float, default=30.0, help="每个请求的超时秒数（默认 30）")
    args = parser.parse_args(argv)

    url = args.url.rstrip("/")
    print(f"检查 {url} 的 CKAN Action API")
    try:
        with RemoteCKAN(url, user_agent=USER_AGENT, session=TimeoutSession(args.timeout)) as ckan:
            check(ckan, q=args.q, facets=args.facets or list(DEFAULT_FACETS))
    except CheckFailed as error:
        print(f"失败：{error}", file=sys.stderr)
        return 1
    except CKANAPIError as error:
        print(f"失败：CKAN 接口返回错误 {type(error).__name__}：{error}", file=sys.stderr)
        return 1
    except requests.RequestException as error:
        print(f"失败：无法连接 {url}：{error}", file=sys.stderr)
        return 1
    print("通过：列出、检索（中文查询和分面）和查看数据资源均正常。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
