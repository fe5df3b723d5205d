"""What a newcomer sees first, fetched from a running `make run` (used by scripts/newcomer.sh).

    python scripts/newcomer_check.py http://127.0.0.1:8123/

Fetches the home page, a column and an article reached from it, a search, the services hall, the open-data
catalog, the sitemap index and every <loc> of its first page, a hashed static file, and a missing page (the
portal's Chinese 404 with the site header, not Django's debug page). Prints one line per check; exits 1 on any
failure.
"""

from __future__ import annotations

import re
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
DEBUG_MARKERS = ("Using the URLconf", "You're seeing this error because you have <code>DEBUG = True</code>")
YEAR = 365 * 24 * 3600


@dataclass
class Answer:
    url: str
    status: int
    headers: dict[str, str]
    body: str


def fetch(url: str, **headers: str) -> Answer:
    request = urllib.request.Request(url, headers={"User-Agent": "jincai-newcomer-check", **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            raw = response.read()
            status, answer_headers = response.status, dict(response.headers.items())
    except urllib.error.HTTPError as error:
        raw, status, answer_headers = error.read(), error.code, dict(error.headers.items())
    charset = "utf-8" if "gzip" not in answer_headers.get("Content-Encoding", "") else "latin-1"
    return Answer(url, status, {k.lower(): v for k, v in answer_headers.items()}, raw.decode(charset, "replace"))


class Links(HTMLParser):
    """(href, text, inside <nav class="main-nav">) for every <a>, and the stylesheet hrefs."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, bool]] = []
        self.stylesheets: list[str] = []
        self._nav_depth = 0
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "main-nav" in (attrs.get("class") or ""):
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if tag == "a" and attrs.get("href"):
            self._href, self._text = attrs["href"], []
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip(), bool(self._nav_depth)))
            self._href = None

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def links_of(answer: Answer) -> Links:
    parser = Links()
    parser.feed(answer.body)
    return parser


class Check:
    def __init__(self, base: str):
        self.base = base
        self.failures: list[str] = []

    def expect(self, ok: bool, what: str, detail: str = "") -> bool:
        print(f"  {'ok ' if ok else 'FAIL'} {what}{'' if ok else ': ' + detail}", flush=True)
        if not ok:
            self.failures.append(what)
        return ok

    def page(self, path_or_url: str, what: str, *, status: int = 200, contains: str = "") -> Answer:
        answer = fetch(urljoin(self.base, path_or_url))
        ok = answer.status == status and not any(marker in answer.body for marker in DEBUG_MARKERS)
        if ok and contains:
            ok = contains in answer.body
        self.expect(ok, f"{what} {urlsplit(answer.url).path} → {answer.status}",
                    f"wanted {status}{' containing ' + contains if contains else ''}, debug page or other status")
        return answer

    def run(self) -> int:
        home = self.page("/", "home page", contains="金财门户")
        home_links = links_of(home)
        nav = [(href, text) for href, text, in_nav in home_links.links if in_nav and href.startswith("/") and href != "/"]
        self.expect(bool(nav), "main navigation has columns", "no <nav class=main-nav> links on the home page")
        if nav:
            column_href = nav[0][0]
            column = self.page(column_href, f"column {nav[0][1]}")
            articles = [href for href, _, in_nav in links_of(column).links
                        if not in_nav and href.startswith(column_href) and len(href) > len(column_href)
                        and "/feed/" not in href and "?" not in href]
            if self.expect(bool(articles), "column lists articles", f"no article links under {column_href}"):
                # The deepest link: an article rather than a sub-column.
                self.page(max(articles, key=lambda href: href.rstrip("/").count("/")), "article")
        search = self.page("/search/?q=" + quote("采购"), "search 采购")
        self.expect('class="search-result"' in search.body, "search 采购 finds something", "no results listed")
        hall = next((href for href, text in nav if "服务" in text), "/services/")
        self.page(hall, "services hall")
        self.page("/hall/inquiry/", "办件查询")
        self.page("/open-data/catalog/", "open-data catalog")
        self.static_files(home_links)
        self.pictures(home)
        self.sitemaps()
        missing = self.page("/newcomer-check-no-such-page/", "missing page", status=404, contains="页面未找到")
        self.expect('class="brand__name"' in missing.body and "金财门户" in missing.body,
                    "the 404 page carries the site header", "no site header on the 404 page")
        print(f"{len(self.failures)} failure(s)" if self.failures else "all checks passed")
        return 1 if self.failures else 0

    def static_files(self, home_links: Links) -> None:
        css = [href for href in home_links.stylesheets if href.startswith("/static/")]
        if not self.expect(bool(css), "home page links its stylesheet", "no /static/ stylesheet"):
            return
        self.expect(bool(re.search(r"\.[0-9a-f]{12}\.css$", css[0])), "stylesheet name is hashed", css[0])
        answer = fetch(urljoin(self.base, css[0]), **{"Accept-Encoding": "gzip"})
        max_age = re.search(r"max-age=(\d+)", answer.headers.get("cache-control", ""))
        self.expect(answer.status == 200 and bool(max_age) and int(max_age.group(1)) >= YEAR,
                    f"stylesheet cached for a year ({answer.headers.get('cache-control', 'no Cache-Control')})",
                    f"status {answer.status}")
        self.expect(answer.headers.get("content-encoding") in ("gzip", "br"), "stylesheet compressed",
                    answer.headers.get("content-encoding", "not compressed"))

    def pictures(self, page: Answer) -> None:
        """The demo's photos (public uploads under /media/) reach the browser: no web server is in front here."""
        images = re.findall(r'<(?:img|source)\b[^>]*?\b(?:src|srcset)="(/media/[^" ]+)', page.body)
        if not self.expect(bool(images), "home page shows pictures", "no /media/ image on the home page"):
            return
        answer = fetch(urljoin(self.base, images[0]))
        self.expect(answer.status == 200 and answer.headers.get("content-type", "").startswith("image/"),
                    f"picture {images[0]} → {answer.status}", answer.headers.get("content-type", ""))

    def sitemaps(self) -> None:
        index = self.page("/sitemap.xml", "sitemap index")
        try:
            pages = [loc.text for loc in ET.fromstring(index.body).findall(".//sm:loc", SITEMAP_NS)]
        except ET.ParseError as error:
            self.expect(False, "sitemap index is XML", str(error))
            return
        if not self.expect(bool(pages), "sitemap index names its pages", "no <loc>"):
            return
        served = urlsplit(self.base).netloc
        first = fetch(pages[0])
        locs = [loc.text for loc in ET.fromstring(first.body).findall(".//sm:loc", SITEMAP_NS)]
        self.expect(first.status == 200 and bool(locs), f"sitemap page {pages[0]} lists {len(locs)} pages")
        elsewhere = [loc for loc in locs if urlsplit(loc).netloc != served]
        self.expect(not elsewhere, f"every <loc> is on {served}", f"{len(elsewhere)} elsewhere, e.g. {elsewhere[:1]}")
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(fetch, [loc for loc in locs if urlsplit(loc).netloc == served]))
        broken = [f"{a.url} → {a.status}" for a in answers if a.status != 200]
        self.expect(not broken, f"all {len(answers)} sitemap pages answer 200", "; ".join(broken[:5]))


if __name__ == "__main__":
    sys.exit(Check(sys.argv[1]).run())
