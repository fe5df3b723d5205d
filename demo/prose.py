"""Deterministic Chinese prose about public finance, for demo content.

``Composer(seed)`` writes headlines, summaries and body paragraphs that read
like the pages of a Chinese finance ministry's website: 财政要闻, 政策文件,
政策解读, 采购公告, 机构职能, 财政数据 and so on (see ``KINDS`` and
``KIND_LABELS``).  Everything comes from the vocabularies and templates below
and from the composer's own ``random.Random(seed)``, so the same seed and the
same sequence of calls always give the same text::

    composer = Composer(2026)
    title = composer.title("procurement")      # starts a new article
    summary = composer.summary("procurement")  # same project, dates, amounts
    body = composer.paragraphs("procurement", 6)

How a text is put together
--------------------------
Each kind has a ``KindSpec``: title and summary templates grouped by *angle*
(a news story is about funds, a meeting, a document or progress), and an
outline of ``Section``s (opening, body, closing) from which paragraphs are
built, sentence by sentence, until they are long enough.

Templates are ``str.format`` strings whose ``{slots}`` name a vocabulary tuple
(``{topic}`` -> ``TOPICS``) or a computed value (``{year}``, ``{fund_amount}``,
``{d_rev}`` for a figure of a monthly statement, ``{sec}`` for the next
section number 一、二、...).  Calls for one kind share an *article*:
``title(kind)`` starts a new one, and ``summary(kind)`` / ``paragraphs(kind)``
that follow it talk about the same subject (the same region, fund, document,
project, figures ...).  Entity-like slots are therefore "sticky" within an
article, while phrase slots listed in ``_FRESH`` are drawn anew at every use.
A trailing digit asks for another value of the same vocabulary (``{prov2}``
differs from ``{prov}``).

Every text is checked against the length bounds and a minimum share of Chinese
characters, and redrawn if it misses them; a kind's plain ``fillers`` are the
last resort.  Pure standard library; no Django import.
"""

from __future__ import annotations

import datetime as _dt
import random
import re
import string
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

__all__ = ["KINDS", "KIND_LABELS", "Composer"]

# The vocabularies and the templates of every kind are data: TOML files under demo/data/prose/.
_DATA_DIR = Path(__file__).resolve().parent / "data" / "prose"


def _frozen(value):
    """TOML arrays as tuples (the composer hashes and compares them), tables as dicts in file order."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: _frozen(item) for key, item in value.items()}
    return value


def _read(name: str) -> dict:
    with (_DATA_DIR / name).open("rb") as file:
        return _frozen(tomllib.load(file))


_KINDS, _REGIONS, _PEOPLE, _FINANCE, _COLUMNS = (
    _read(f"{name}.toml") for name in ("kinds", "regions", "people", "finance", "columns")
)

# ---------------------------------------------------------------------------
# Kinds
# ---------------------------------------------------------------------------

KIND_LABELS: Mapping[str, str] = _KINDS["kind_labels"]

KINDS: tuple[str, ...] = tuple(KIND_LABELS)

TITLE_MIN, TITLE_MAX = 12, 40
SUMMARY_MIN, SUMMARY_MAX = 40, 120
PARAGRAPH_MIN, PARAGRAPH_MAX = 80, 260
#: a generated text is rejected (and redrawn) below this share of CJK characters
MIN_CJK_SHARE = 0.62

# ---------------------------------------------------------------------------
# Regions (GB/T 2260 codes)
# ---------------------------------------------------------------------------

PROVINCES: tuple[tuple[str, str, str], ...] = _REGIONS["provinces"]
CITIES: tuple[tuple[str, str, str, str], ...] = _REGIONS["cities"]

_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})

# ---------------------------------------------------------------------------
# People, departments and sources
# ---------------------------------------------------------------------------

SURNAMES = tuple(_PEOPLE["surnames"])
GIVEN_NAME_CHARS = tuple(_PEOPLE["given_name_chars"])
DEPARTMENTS = _PEOPLE["departments"]
DEPARTMENT_DUTIES: Mapping[str, tuple[str, ...]] = _PEOPLE["department_duties"]
OUTLETS = _PEOPLE["outlets"]
CENTRAL_SOURCES = _PEOPLE["central_sources"]

# ---------------------------------------------------------------------------
# Shared finance vocabulary
# ---------------------------------------------------------------------------

TOPICS = _FINANCE["topics"]
VERBS = _FINANCE["verbs"]
ADVERBIALS = _FINANCE["adverbials"]
EFFECTS = _FINANCE["effects"]
PROGRESS = _FINANCE["progress"]
REQUIREMENTS = _FINANCE["requirements"]
FACTORS = _FINANCE["factors"]
PRIORITIES = _FINANCE["priorities"]
PARTNER_KEYWORDS: tuple[tuple[str, str], ...] = _FINANCE["partner_keywords"]
FUNDS: tuple[tuple[str, int, int, str, str], ...] = _FINANCE["funds"]
DOCS: tuple[tuple[str, str], ...] = _FINANCE["docs"]
DEPARTMENT_KEYWORDS: tuple[tuple[str, str], ...] = _FINANCE["department_keywords"]
ASPECTS = _FINANCE["aspects"]
CLAUSES = _FINANCE["clauses"]
SLOGANS = _FINANCE["slogans"]

# ---------------------------------------------------------------------------
# Numbers and dates
# ---------------------------------------------------------------------------

YEARS = (2024, 2025, 2026)

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for 0 <= n < 1000, as in 第二十二条."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "十" if tens == 1 else CN_DIGITS[tens] + "十"
        return head + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    head = CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + CN_DIGITS[rest]
    tail = cn_number(rest)
    return head + ("一" + tail if rest < 20 else tail)


def cn_date(day: _dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yi(amount: float) -> str:
    """Format an amount of 亿元 the way statements do."""
    if amount >= 100:
        return str(round(amount))
    if amount >= 10:
        return f"{amount:.1f}"
    return f"{amount:.2f}"


def change(pct: float) -> str:
    """同比增长3.2% / 同比下降1.1% / 与上年同期持平."""
    pct = round(pct, 1)
    if pct > 0:
        return f"同比增长{pct:.1f}%"
    if pct < 0:
        return f"同比下降{-pct:.1f}%"
    return "与上年同期基本持平"


_CJK_PUNCTUATION = set("，。、；：？！“”‘’（）《》〈〉【】〔〕—…·％　")


def cjk_share(text: str) -> float:
    """Share of CJK ideographs and Chinese punctuation among non-space characters."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 0.0
    cjk = sum(
        1
        for c in chars
        if "\u4e00" <= c <= "\u9fff"
        or "\u3400" <= c <= "\u4dbf"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        or c in _CJK_PUNCTUATION
    )
    return cjk / len(chars)

# ---------------------------------------------------------------------------
# Vocabulary of particular columns
# ---------------------------------------------------------------------------

LEADERS = _COLUMNS["leaders"]
LEADER_EVENTS = _COLUMNS["leader_events"]
LEADER_GUESTS = _COLUMNS["leader_guests"]
LEADER_MEETINGS = _COLUMNS["leader_meetings"]
COOPERATION = _COLUMNS["cooperation"]
INSPECTION_SITES = _COLUMNS["inspection_sites"]
LOCAL_HIGHLIGHTS = _COLUMNS["local_highlights"]
LOCAL_MEASURES = _COLUMNS["local_measures"]
MEDIA_HEADS = _COLUMNS["media_heads"]
MEDIA_POINTS = _COLUMNS["media_points"]
MEDIA_KEYS = _COLUMNS["media_keys"]
LAWS: tuple[tuple[str, str, str, str, str], ...] = _COLUMNS["laws"]
REG_DOCS: tuple[tuple[str, str, str, str], ...] = _COLUMNS["reg_docs"]
TAX_POLICIES: tuple[tuple[str, str, tuple[str, ...], str], ...] = _COLUMNS["tax_policies"]
TAX_PROCEDURES = _COLUMNS["tax_procedures"]
TAXCUT_HEADS = _COLUMNS["taxcut_heads"]
PPP_HEADS = _COLUMNS["ppp_heads"]
PPP_POINTS = _COLUMNS["ppp_points"]
PPP_EFFECTS = _COLUMNS["ppp_effects"]
PPP_FIELDS = _COLUMNS["ppp_fields"]
REFORM_HEADS = _COLUMNS["reform_heads"]
REFORM_MEASURES = _COLUMNS["reform_measures"]
TAXCUT_EFFECTS = _COLUMNS["taxcut_effects"]
REFORM_EFFECTS = _COLUMNS["reform_effects"]
SERVICE_ITEMS: tuple[tuple[str, str, str, str], ...] = _COLUMNS["service_items"]
SERVICE_CHANNELS = _COLUMNS["service_channels"]
DATASETS: tuple[tuple[str, str, str], ...] = _COLUMNS["datasets"]
DATA_FORMATS = _COLUMNS["data_formats"]


CITIZEN_QUESTIONS: tuple[tuple[str, str, str], ...] = _COLUMNS["citizen_questions"]
PROCUREMENT_PURCHASERS = _COLUMNS["procurement_purchasers"]
PROCUREMENT_PROJECTS: tuple[tuple[str, str], ...] = _COLUMNS["procurement_projects"]
PROCUREMENT_NEEDS: Mapping[str, tuple[str, ...]] = _COLUMNS["procurement_needs"]
BEIJING_STREETS = _COLUMNS["beijing_streets"]
COMPANY_PREFIXES = tuple(_COLUMNS["company_prefixes"])
COMPANY_SUFFIXES = tuple(_COLUMNS["company_suffixes"])
COMPANY_INDUSTRIES: Mapping[str, tuple[str, ...]] = _COLUMNS["company_industries"]
AGENT_INDUSTRIES = _COLUMNS["agent_industries"]
PROBLEMS = _COLUMNS["problems"]
CONTENT_POINTS = _COLUMNS["content_points"]
NORM_SUBJECTS = _COLUMNS["norm_subjects"]
GENERIC_DUTIES = _COLUMNS["generic_duties"]
AREA_CODES: Mapping[str, str] = _COLUMNS["area_codes"]
ROADS = _COLUMNS["roads"]


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------


class Section(NamedTuple):
    """One paragraph's worth of templates.

    A paragraph is one of ``leads`` followed by ``follows`` until it is long
    enough.  Unordered follows are shuffled; ordered follows are used in
    order (a string, or a tuple of alternatives, per position), for numbered
    lists and legal articles.
    """

    leads: tuple[str, ...]
    follows: tuple = ()
    ordered: bool = False


AngleMap = Mapping[str, Section]


class KindSpec(NamedTuple):
    """Everything one kind needs: titles and summaries by angle, and an outline."""

    titles: Mapping[str, tuple[str, ...]]
    summaries: Mapping[str, tuple[str, ...]]
    opening: Section | AngleMap
    body: tuple[Section | AngleMap, ...]
    closing: Section | AngleMap | None
    fillers: tuple[str, ...]
    fallback_title: str
    extra: tuple[Section, ...] = ()


def _section_or_angles(data: dict) -> Section | AngleMap:
    """A section ({leads, follows, ordered}) or, by angle, one section per angle ("*" for any other)."""
    if "leads" in data:
        return Section(**data)
    return {angle: Section(**section) for angle, section in data.items()}


def _kind_spec(data: dict) -> KindSpec:
    return KindSpec(
        titles=data["titles"],
        summaries=data["summaries"],
        opening=_section_or_angles(data["opening"]),
        body=tuple(_section_or_angles(part) for part in data["body"]),
        closing=_section_or_angles(data["closing"]) if "closing" in data else None,
        fillers=data["fillers"],
        fallback_title=data["fallback_title"],
        extra=tuple(Section(**section) for section in data.get("extra", ())),
    )


# Each kind's templates live in demo/data/prose/kinds/<kind>.toml.
SPECS: Mapping[str, KindSpec] = {kind: _kind_spec(_read(f"kinds/{kind}.toml")) for kind in KINDS}

assert tuple(SPECS) == KINDS

# ---------------------------------------------------------------------------
# Slots
# ---------------------------------------------------------------------------

_VOCAB: Mapping[str, tuple[str, ...]] = {
    "topic": TOPICS,
    "verb": VERBS,
    "adverbial": ADVERBIALS,
    "effect": EFFECTS,
    "progress": PROGRESS,
    "req": REQUIREMENTS,
    "factor": FACTORS,
    "priority": PRIORITIES,
    "aspect": ASPECTS,
    "clause": CLAUSES,
    "slogan": SLOGANS,
    "leader": LEADERS,
    "event": LEADER_EVENTS,
    "guest": LEADER_GUESTS,
    "leader_meeting": LEADER_MEETINGS,
    "coop": COOPERATION,
    "site": INSPECTION_SITES,
    "highlight": LOCAL_HIGHLIGHTS,
    "measure": LOCAL_MEASURES,
    "outlet": OUTLETS,
    "media_head": MEDIA_HEADS,
    "media_point": MEDIA_POINTS,
    "media_key": MEDIA_KEYS,
    "ppp_effect": PPP_EFFECTS,
    "reform_effect": REFORM_EFFECTS,
    "taxcut_effect": TAXCUT_EFFECTS,
    "taxcut_head": TAXCUT_HEADS,
    "ppp_head": PPP_HEADS,
    "ppp_point": PPP_POINTS,
    "ppp_field": PPP_FIELDS,
    "reform_head": REFORM_HEADS,
    "reform_measure": REFORM_MEASURES,
    "problem": PROBLEMS,
    "content_point": CONTENT_POINTS,
    "norm_subject": NORM_SUBJECTS,
    "channel": SERVICE_CHANNELS,
    "dept": DEPARTMENTS,
}

#: slots drawn anew at every use (phrases), as opposed to sticky entities
_FRESH = frozenset({
    "verb", "adverbial", "effect", "progress", "req", "factor", "priority",
    "aspect", "clause", "reason", "site", "measure", "media_point", "media_key",
    "tax_rule", "ppp_point", "reform_measure", "problem", "content_point", "coop",
    "pct", "art", "item", "sec", "sub", "duty", "p_need", "ppp_effect", "reform_effect",
    "taxcut_effect",
})

#: sticky entities a column names in turn, each once before any again: a ministry meets each delegation before it
#: meets one a second time (and the site shows every one of them)
_DEALT = frozenset({"guest"})

#: slots that depend on the others of their template and are filled last
_LATE = frozenset({"partner"})

_DIGITS = "0123456789"
_FORMATTER = string.Formatter()


def _base(key: str) -> str:
    return key.rstrip(_DIGITS) or key


class _Article:
    """What the calls for one kind share: angle, chosen entities, used phrases."""

    def __init__(self, kind: str, angle: str) -> None:
        self.kind = kind
        self.angle = angle
        self.values: dict[str, str] = {}
        self.data: dict[str, object] = {}
        self.seen: set[str] = set()
        self.counters: dict[str, int] = {}
        #: the sentences the body has said (numbering left off): a page never says one twice
        self.said: set[str] = set()
        #: the day the page is published, when the caller knows it: dates in the text are counted from it
        self.on: _dt.date | None = None

    def snapshot(self) -> tuple[set[str], dict[str, int], set[str]]:
        return set(self.seen), dict(self.counters), set(self.said)

    def restore(self, snap: tuple[set[str], dict[str, int], set[str]]) -> None:
        self.seen, self.counters, self.said = set(snap[0]), dict(snap[1]), set(snap[2])


class _Reject(Exception):
    """A slot cannot be filled sensibly here: draw another template."""


class _Slots:
    """Mapping handed to ``str.format_map``: resolves ``{slot}`` on demand."""

    def __init__(self, composer: Composer, art: _Article) -> None:
        self._composer = composer
        self._art = art

    def __getitem__(self, key: str) -> str:
        return self._composer._slot(key, self._art)


def _by_angle(spec, angle: str):
    if isinstance(spec, Mapping):
        return spec.get(angle, spec.get("*"))
    return spec


_NUMBERING = re.compile(r"^(第[零一二三四五六七八九十百]+条　|[零一二三四五六七八九十百]+、|（[零一二三四五六七八九十百]+）)+")
#: where a legal article (第三条　) or a numbered item (三、) starts inside a composed paragraph: each is a paragraph
_ARTICLE_START = re.compile(r"(?<=[。：；])(?=第[零一二三四五六七八九十百]+条　|[一二三四五六七八九十]+、)")


def _sentences(text: str) -> list[str]:
    """The sentences of ``text`` as a reader compares them: numbering (第三条, 二、, （一）) left off."""
    return [_NUMBERING.sub("", s) for s in re.findall(r"[^。！？]+[。！？]?", text) if s.strip()]


def _fits(text: str, low: int, high: int, *, period: bool) -> bool:
    return (
        low <= len(text) <= high
        and text.endswith("。") == period
        and "{" not in text
        and "}" not in text
        and cjk_share(text) >= MIN_CJK_SHARE
    )


# ---------------------------------------------------------------------------
# Composer
# ---------------------------------------------------------------------------


class Composer:
    """Writes Chinese public-finance prose, deterministically from ``seed``.

    >>> c = Composer(7)
    >>> headline = c.title("news")
    >>> body = c.paragraphs("news", 3)   # about the same subject as the headline
    """

    def __init__(self, seed: int | str) -> None:
        self.seed = seed
        # a str seeds exactly like random.Random(seed), lone surrogates included
        material = seed.encode("utf-8", "surrogatepass") if isinstance(seed, str) else seed
        self._rng = random.Random(material)
        self._articles: dict[str, _Article] = {}
        #: the delegations (and other _DEALT entities) this composer's headlines have named so far
        self._dealt: dict[str, set[str]] = {}

    # -- public API ---------------------------------------------------------

    def title(self, kind: str, *, about: str | None = None, year: int | None = None,
              on: _dt.date | None = None) -> str:
        """A headline of ``kind``; starts a new article for that kind.

        ``about`` fixes the article's subject: a law or regulation (``LAWS``), a departmental rule
        (``REG_DOCS``), a tax policy (``TAX_POLICIES``), a document (``DOCS``) or a work area (``TOPICS``),
        so that its texts agree with a page kept elsewhere (a policy and its interpretation).
        ``year`` fixes the year the article speaks of (kept within ``YEARS``).
        ``on`` is the day the page is published: the events it reports happened in the days before it, the statement
        it publishes covers the months before it, and no date it gives as past lies after it.
        """
        spec = self._spec(kind)
        pin = _subject(about) if about is not None else _Subject({}, {})
        if year is not None:
            pin.values["year"] = str(min(max(year, YEARS[0]), YEARS[-1]))
        if on is not None:
            pin.data["on"] = on
            # a monthly statement published in January is the last year's 1—12月
            reported = on.year - 1 if kind == "data" and on.month == 1 else on.year
            pin.values.setdefault("year", str(reported))
        if not pin.values and not pin.data:
            pin = None
        for _ in range(60):
            art = self._start(kind, spec, pin)
            try:
                text = self._fill(self._template(spec.titles[art.angle], art), art)
            except _Reject:
                continue
            if _fits(text, TITLE_MIN, TITLE_MAX, period=False):
                self._deal(art)
                return text
        self._start(kind, spec, pin)
        return spec.fallback_title

    def summary(self, kind: str) -> str:
        """One or two sentences summing up the current article of ``kind``."""
        spec = self._spec(kind)
        art = self._current(kind, spec)
        templates = _by_angle(spec.summaries, art.angle)
        for _ in range(60):
            snap = art.snapshot()
            # the first template is the main one: prefer it as the opening sentence
            lead = templates[:1] if self._rng.random() < 0.5 else templates
            first = self._template(lead, art)
            try:
                text = self._fill(first, art)
            except _Reject:
                art.restore(snap)
                continue
            if text.count("。") == 1 and (len(text) < SUMMARY_MIN or self._rng.random() < 0.5):
                # add a second sentence, keeping the order the templates are written in
                others = tuple(t for t in templates if t != first)
                if others:
                    other = self._template(others, art)
                    try:
                        second = self._fill(other, art)
                    except _Reject:
                        second = ""
                    if second.count("。") == 1 and len(text) + len(second) <= SUMMARY_MAX:
                        ahead = templates.index(other) < templates.index(first)
                        text = second + text if ahead else text + second
            if _fits(text, SUMMARY_MIN, SUMMARY_MAX, period=True):
                return text
            art.restore(snap)
        return self._pad("", spec.fillers, SUMMARY_MIN, SUMMARY_MAX)

    def paragraphs(self, kind: str, n: int = 4) -> list[str]:
        """Up to ``n`` body paragraphs of the current article of ``kind`` (``n`` when the kind has the material).

        No sentence is said twice in an article: a section whose sentences are used up gives a shorter paragraph
        or none, rather than a repeat. A legal text (第一条, 第二条 …) has each article as a paragraph of its own,
        and so has each numbered item (一、二、…) of a notice.
        """
        spec = self._spec(kind)
        art = self._current(kind, spec)
        texts = [self._paragraph(section, art, spec) for section in self._outline(spec, art, n)]
        return [piece for text in texts if text for piece in _ARTICLE_START.split(text)]

    def source(self, kind: str | None = None) -> str:
        """来源: a central office or outlet; for an article of ``kind`` that happens in one place (地方财政), that
        place's finance department (a province's department as the source of a national story reads as a slip)."""
        art = self._articles.get(kind) if kind is not None else None
        if art is not None and "place" in art.data:
            return self._v_place_bureau(art, "place_bureau")
        return self._rng.choice(CENTRAL_SOURCES)

    def author(self) -> str:
        """A plausible Chinese personal name of two or three characters."""
        surname = self._rng.choice(SURNAMES)
        given = self._rng.sample(GIVEN_NAME_CHARS, self._rng.choice((1, 2, 2)))
        return surname + "".join(given)

    def department(self) -> str:
        """A department of the ministry, e.g. 预算司."""
        return self._rng.choice(DEPARTMENTS)

    def region(self) -> tuple[str, str]:
        """(GB/T 2260 code, name) of a province-level division or a city."""
        return self._rng.choice(REGIONS)

    # -- articles and outlines ----------------------------------------------

    @staticmethod
    def _spec(kind: str) -> KindSpec:
        try:
            return SPECS[kind]
        except (KeyError, TypeError):
            raise ValueError(
                f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}"
            ) from None

    def _start(self, kind: str, spec: KindSpec, pin: _Subject | None = None) -> _Article:
        angles = sorted(spec.titles)
        if pin is not None and (pin.data.keys() - {"on"} or pin.values.keys() - {"year"}):
            # a tax policy is announced (财政部 税务总局公告); any other subject is not
            taxing = "tax" in pin.data
            fitting = [a for a in angles if any("{tax_" in t for t in spec.titles[a]) == taxing]
            angles = fitting or angles
        art = _Article(kind, self._rng.choice(angles))
        if pin is not None:
            art.values.update(pin.values)
            art.data.update(pin.data)
            art.on = pin.data.get("on")  # type: ignore[assignment]
        self._articles[kind] = art
        return art

    def _current(self, kind: str, spec: KindSpec) -> _Article:
        art = self._articles.get(kind)
        return art if art is not None else self._start(kind, spec)

    def _outline(self, spec: KindSpec, art: _Article, n: int) -> list[Section]:
        if n <= 0:
            return []
        opening = _by_angle(spec.opening, art.angle)
        body = [s for s in (_by_angle(b, art.angle) for b in spec.body) if s is not None]
        closing = _by_angle(spec.closing, art.angle) if spec.closing else None
        if n == 1:
            return [opening]
        tail = [closing] if closing is not None else []
        room = n - 1 - len(tail)
        if room <= len(body):
            keep = sorted(self._rng.sample(range(len(body)), room))
            middle = [body[i] for i in keep]
        else:
            # each section once: a kind with fewer sections than asked for gives fewer paragraphs (the sentences
            # of a section are never said twice, so a section used again would read as a repeat)
            middle = body + list(spec.extra)[: room - len(body)]
        return [opening, *middle, *tail]

    def _paragraph(self, section: Section, art: _Article, spec: KindSpec) -> str:
        text = ""
        best, best_snap = "", None
        for _ in range(40):
            snap = art.snapshot()
            try:
                text = self._compose(section, art)
            except _Reject:
                text = ""
            if _fits(text, PARAGRAPH_MIN, PARAGRAPH_MAX, period=True):
                return text
            if len(text) > len(best) and _fits(text, 1, PARAGRAPH_MAX, period=True):
                best, best_snap = text, art.snapshot()
            art.restore(snap)
        legal = any("{art}" in lead for lead in section.leads)
        if legal:
            # articles of a legal text stand as they are: no plain sentences padded in between them
            if best_snap is not None:
                art.restore(best_snap)
            return best
        if best_snap is not None and (section.ordered or len(best) >= PARAGRAPH_MIN // 2):
            art.restore(best_snap)  # short, but said once: better than padding with what the page said before
            return self._pad(best, spec.fillers, PARAGRAPH_MIN, PARAGRAPH_MAX, art)
        padded = self._pad("", spec.fillers, PARAGRAPH_MIN, PARAGRAPH_MAX, art)
        return padded if len(padded) >= PARAGRAPH_MIN // 2 else ""  # nothing left to say: no paragraph

    def _said(self, sentence: str, art: _Article) -> bool:
        return any(s in art.said for s in _sentences(sentence))

    def _say(self, sentence: str, art: _Article) -> None:
        art.said.update(_sentences(sentence))

    def _compose(self, section: Section, art: _Article) -> str:
        text = self._fill(self._template(section.leads, art), art)
        if self._said(text, art):
            raise _Reject
        self._say(text, art)
        if section.ordered:
            for options in section.follows:
                if isinstance(options, str):
                    options = (options,)
                counters = dict(art.counters)
                sentence = self._fill(self._template(options, art), art)
                if self._said(sentence, art):
                    art.counters = counters  # not said: its 第N条 is not used up
                    continue
                if len(text) + len(sentence) > PARAGRAPH_MAX and not _ARTICLE_START.search("。" + sentence):
                    break
                text += sentence
                self._say(sentence, art)
            return text
        target = self._rng.randint(110, 230)
        # sentences not yet used in this article first, then the others
        unused = [t for t in section.follows if t not in art.seen]
        used = [t for t in section.follows if t in art.seen]
        self._rng.shuffle(unused)
        self._rng.shuffle(used)
        for template in unused + used:
            if len(text) >= target:
                break
            counters = dict(art.counters)
            sentence = self._fill(template, art)
            if self._said(sentence, art) or len(text) + len(sentence) > PARAGRAPH_MAX:
                art.counters = counters
                continue
            text += sentence
            self._say(sentence, art)
            art.seen.add(template)
        return text

    def _pad(self, text: str, fillers: tuple[str, ...], low: int, high: int, art: _Article | None = None) -> str:
        """Last resort: trim at a sentence end, or top up with plain sentences."""
        if len(text) > high or not _fits(text, 0, high, period=True):
            cut = text.rfind("。", 0, high)
            text = text[: cut + 1] if cut >= 0 and "{" not in text else ""
        if cjk_share(text) < MIN_CJK_SHARE:
            text = ""
        for sentence in fillers:
            if len(text) >= low:
                break
            if art is not None and self._said(sentence, art):
                continue
            if sentence not in text and len(text) + len(sentence) <= high:
                text += sentence
                if art is not None:
                    self._say(sentence, art)
        return text

    # -- filling templates ----------------------------------------------------

    def _template(self, options: tuple[str, ...], art: _Article) -> str:
        fresh = [t for t in options if t not in art.seen]
        template = self._rng.choice(fresh or list(options))
        art.seen.add(template)
        return template

    def _fill(self, template: str, art: _Article) -> str:
        fields = [name for _text, name, _spec, _conv in _FORMATTER.parse(template) if name]
        if any(name in _LATE for name in fields):
            # settle the subject first, so that e.g. {partner} can follow it
            for name in fields:
                if name not in _LATE and _base(name) not in _FRESH:
                    self._slot(name, art)
        return template.format_map(_Slots(self, art))

    def _slot(self, key: str, art: _Article) -> str:
        if key in art.values:
            return art.values[key]
        base = _base(key)
        prefix = base.split("_", 1)[0]
        if hasattr(self, "_v_" + base):
            value = getattr(self, "_v_" + base)(art, key)
        elif prefix in _FIGURES and "_" in base:
            value = self._figures(art, prefix)[base[len(prefix) + 1:]]
        elif base in _VOCAB:
            options = _VOCAB[base]
            if base in _FRESH:
                value = self._pick_fresh(options, art)
            elif base in _DEALT:
                value = self._next_dealt(base, options, art)
            else:
                taken = {v for k, v in art.values.items() if _base(k) == base}
                value = self._rng.choice([o for o in options if o not in taken] or list(options))
        else:
            raise KeyError(f"no vocabulary for slot {{{key}}}")
        if "{" in value:
            value = self._fill(value, art)
        if base not in _FRESH:
            art.values[key] = value
        return value

    def _next_dealt(self, base: str, options, art: _Article) -> str:
        """The first of ``options`` no headline of this composer has named yet (all again once each was named)."""
        taken = {v for k, v in art.values.items() if _base(k) == base}
        dealt = self._dealt.get(base, set())
        return next((o for o in options if o not in dealt and o not in taken), None) or \
            self._rng.choice([o for o in options if o not in taken] or list(options))

    def _deal(self, art: _Article) -> None:
        """A headline is out: the _DEALT entities it names count as named (a deck runs out, then starts again)."""
        for key, value in art.values.items():
            base = _base(key)
            if base in _DEALT:
                dealt = self._dealt.setdefault(base, set())
                dealt.add(value)
                if dealt >= set(_VOCAB[base]):
                    dealt.clear()

    def _pick_fresh(self, options, art: _Article) -> str:
        unused = [o for o in options if o not in art.seen]
        value = self._rng.choice(unused or list(options))
        art.seen.add(value)
        return value

    # -- dates ------------------------------------------------------------------

    def _year(self, art: _Article) -> int:
        return int(self._slot("year", art))

    def _day(self, art: _Article) -> _dt.date:
        """The day of what the article reports: days before the page's own day when that is known."""
        if "date" not in art.data:
            if art.on is not None:
                # a letter waits a few weeks for its reply; a meeting or a visit is reported within days
                back = self._rng.randint(6, 25) if art.kind == "interaction" else self._rng.randint(2, 5)
                art.data["date"] = art.on - _dt.timedelta(days=back)
            else:
                year = self._year(art)
                art.data["date"] = _dt.date(year, self._rng.randint(1, 12), self._rng.randint(1, 28))
        return art.data["date"]  # type: ignore[return-value]

    def _v_year(self, art, key):
        return str(self._rng.choice(YEARS))

    def _v_prev_year(self, art, key):
        return str(self._year(art) - 1)

    def _v_next_year(self, art, key):
        return str(self._year(art) + 1)

    def _v_r_year(self, art, key):
        return str(self._year(art) - 1)

    def _v_month(self, art, key):
        on = art.on
        if on is not None and art.kind == "data":
            return str(on.month - 1 or 12)  # the statement of the months before the one it is published in
        if on is not None and self._year(art) == on.year:
            return str(self._rng.randint(min(2, max(on.month - 1, 1)), max(on.month - 1, 1)))
        return str(self._rng.randint(2, 11))

    def _v_month_cn(self, art, key):
        return cn_number(int(self._slot("month", art)))

    def _v_date(self, art, key):
        return cn_date(self._day(art))

    def _v_date_end(self, art, key):
        """The end of a range starting at {date}: 26日, 12月1日 or 2026年1月2日."""
        start = self._day(art)
        room = (art.on - start).days if art.on is not None else 3
        end = start + _dt.timedelta(days=self._rng.randint(1, max(1, min(3, room))))
        if end.year != start.year:
            return cn_date(end)
        if end.month != start.month:
            return f"{end.month}月{end.day}日"
        return f"{end.day}日"

    def _v_effective_date(self, art, key):
        day = self._day(art)
        month = day.month + self._rng.randint(1, 3)
        return cn_date(_dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1))

    def _v_deadline_short(self, art, key):
        return cn_date(self._day(art) + _dt.timedelta(days=self._rng.randint(20, 30)))

    # -- places -----------------------------------------------------------------

    def _province(self, art: _Article, key: str) -> tuple[str, str, str]:
        """The province for ``prov``/``prov2``...; ``prov`` follows a chosen city."""
        suffix = key[len(_base(key)):]
        slot = "province" + suffix
        if slot not in art.data:
            city = art.data.get("city")
            if not suffix and city is not None:
                art.data[slot] = _PROVINCE_BY_CODE[city[3]]  # type: ignore[index]
            else:
                taken = {v for k, v in art.data.items() if k.startswith("province")}
                art.data[slot] = self._rng.choice([p for p in PROVINCES if p not in taken])
        return art.data[slot]  # type: ignore[return-value]

    def _v_prov(self, art, key):
        return self._province(art, key)[1]

    def _v_prov_short(self, art, key):
        return self._province(art, key)[2]

    def _v_prov_bureau(self, art, key):
        code, name, _short = self._province(art, key)
        return _bureau_of(code, name)

    _v_bureau = _v_prov_bureau

    def _city(self, art: _Article) -> tuple[str, str, str, str]:
        if "city" not in art.data:
            art.data["city"] = self._rng.choice(CITIES)
        return art.data["city"]  # type: ignore[return-value]

    def _v_city(self, art, key):
        return self._city(art)[1]

    def _place(self, art: _Article) -> tuple[str, str, str, bool]:
        """Where a 地方财政 story happens: a province (mostly) or a city."""
        if "place" not in art.data:
            if self._rng.random() < 0.25:
                code, name, short, _prov = self._rng.choice(CITIES)
                art.data["place"] = (code, name, short, True)
            else:
                code, name, short = self._rng.choice(PROVINCES)
                art.data["place"] = (code, name, short, False)
        return art.data["place"]  # type: ignore[return-value]

    def _v_place(self, art, key):
        return self._place(art)[1]

    def _v_place_short(self, art, key):
        return self._place(art)[2]

    def _v_place_bureau(self, art, key):
        code, name, _short, is_city = self._place(art)
        return name + "财政局" if is_city else _bureau_of(code, name)

    def _v_scope(self, art, key):
        if "place" in art.data:
            code, name, _short, is_city = self._place(art)
        else:
            code, name, _short = self._province(art, "prov")
            is_city = False
        if is_city or code in _MUNICIPALITIES:
            return "全市"
        return "全区" if name.endswith("自治区") else "全省"

    def _v_ppp_scope(self, art, key):
        return self._v_prov(art, "prov") if "province" in art.data else "全国"

    def _v_ppp_count(self, art, key):
        if self._v_ppp_scope(art, key) == "全国":
            return str(self._rng.randint(160, 480))
        return str(self._rng.randint(6, 48))

    def _v_ppp_invest(self, art, key):
        count = int(self._slot("ppp_count", art))
        return str(round(count * self._rng.uniform(6, 24)))

    def _v_beneficiary(self, art, key):
        return self._rng.choice((
            f"经营主体{self._rng.randint(3, 120)}万户",
            f"城乡居民{self._rng.randint(20, 900)}万人次",
            f"重点项目{self._rng.randint(40, 900)}个",
        ))

    # -- funds, documents, people ----------------------------------------------

    def _fund(self, art: _Article) -> tuple[str, int, int, str, str]:
        if "fund" not in art.data:
            art.data["fund"] = self._rng.choice(FUNDS)
        return art.data["fund"]  # type: ignore[return-value]

    def _v_fund(self, art, key):
        return self._fund(art)[0]

    _v_local_fund = _v_fund

    def _v_fund_amount(self, art, key):
        _name, low, high, _agency, _purpose = self._fund(art)
        return str(self._rng.randint(low, high))

    def _v_local_amount(self, art, key):
        return yi(self._rng.uniform(3, 90))

    def _v_fund_agency(self, art, key):
        return self._fund(art)[3]

    def _v_fund_purpose(self, art, key):
        return self._fund(art)[4]

    def _v_doc(self, art, key):
        """A document; it matches the article's topic when one was chosen first."""
        topic = art.values.get("topic")
        if art.angle == "funds" or (topic is None and self._rng.random() < 0.25):
            name = self._fund(art)[0]
            doc, doc_topic = name + "管理办法", name + "管理"
        else:
            taken = {v for k, v in art.values.items() if _base(k) == "doc"}
            options = [d for d in DOCS if d[0] not in taken]
            if art.kind == "normative":  # 关于印发《…》的通知: not a notice within a notice
                options = [d for d in options if not d[0].endswith("通知")]
            matching = [d for d in options if d[1] == topic]
            doc, doc_topic = self._rng.choice(matching or options)
        if key == "doc":
            art.data["doc_topic"] = doc_topic
        return doc

    def _v_topic(self, art, key):
        """The article's work area: that of its document or fund, else any."""
        if key == "topic":
            if "doc_topic" in art.data:
                return art.data["doc_topic"]  # type: ignore[return-value]
            if art.angle == "funds" or "fund" in art.data:
                return self._fund(art)[0] + "管理"
        taken = {v for k, v in art.values.items() if _base(k) == "topic"}
        options = [t for t in TOPICS if t not in taken]
        if art.kind == "org" and "dept" in art.values:
            own = [t for t in options if _department_for(t) == art.values["dept"]]
            options = own or ["财政改革发展", "部机关中心工作"]
        return self._rng.choice(options)

    def _v_partner(self, art, key):
        """A ministry that plausibly co-signs a document on the article's subject."""
        if "fund" in art.data:
            return self._fund(art)[3]
        subject = self._slot("topic", art)
        for keyword, partner in PARTNER_KEYWORDS:
            if keyword in subject:
                return partner
        raise _Reject(key)

    def _v_doc_dept(self, art, key):
        self._slot("topic", art)
        return _department_for(self._slot("doc", art))

    def _v_topic_dept(self, art, key):
        return _department_for(self._slot("topic", art))

    def _v_doc_short(self, art, key):
        doc = self._slot("doc", art)
        for ending in ("办法", "意见", "通知", "指南", "规程", "指引"):
            if doc.endswith(ending):
                return ending
        return "文件"

    def _v_chapters(self, art, key):
        return str(self._rng.randint(4, 8))

    def _v_articles(self, art, key):
        chapters = int(self._slot("chapters", art))
        return str(chapters * self._rng.randint(4, 7) + self._rng.randint(0, 3))

    def _v_n_prov(self, art, key):
        return str(self._rng.randint(18, 31))

    def _v_pct(self, art, key):
        return f"{self._rng.uniform(1.5, 9.8):.1f}"

    def _v_cn_n(self, art, key):
        return cn_number(self._rng.randint(1, 12))

    def _v_order_no(self, art, key):
        return str(self._rng.randint(101, 126))

    def _v_leader_short(self, art, key):
        leader = self._slot("leader", art)
        if "副部长" in leader:
            return "副部长"
        if "部长" in leader:
            return "部长"
        return "部党组成员"

    def _v_asker(self, art, key):
        return "会议" if art.angle == "meeting" else "财政部"

    def _v_meeting_place(self, art, key):
        return art.values.get("city", "北京")

    def _v_art(self, art, key):
        art.counters["art"] = art.counters.get("art", 0) + 1
        return f"第{cn_number(art.counters['art'])}条"

    def _v_item(self, art, key):
        art.counters["item"] = art.counters.get("item", 0) + 1
        return f"{cn_number(art.counters['item'])}、"

    def _v_sec(self, art, key):
        """Section numbers 一、二、… that stay consecutive whichever sections are used."""
        art.counters["sec"] = art.counters.get("sec", 0) + 1
        art.counters["sub"] = 0
        return f"{cn_number(art.counters['sec'])}、"

    def _v_sub(self, art, key):
        art.counters["sub"] = art.counters.get("sub", 0) + 1
        return f"（{cn_number(art.counters['sub'])}）"

    def _v_phone(self, art, key):
        return f"6855{self._rng.randint(0, 9999):04d}"

    def _v_duty(self, art, key):
        own = DEPARTMENT_DUTIES.get(self._slot("dept", art), ())
        unused = [d for d in own if d not in art.seen]
        return self._pick_fresh(unused or GENERIC_DUTIES, art)

    def _question(self, art: _Article) -> tuple[str, str, str]:
        if "question" not in art.data:
            art.data["question"] = self._rng.choice(CITIZEN_QUESTIONS)
        return art.data["question"]  # type: ignore[return-value]

    def _v_question(self, art, key):
        return self._question(art)[0]

    def _v_reply_dept(self, art, key):
        return self._question(art)[1]

    def _v_answer(self, art, key):
        return self._question(art)[2]

    def _v_publisher(self, art, key):
        if art.kind == "report" and self._rng.random() < 0.4:
            return self._v_prov_bureau(art, "prov")
        return "财政部"

    # laws and rules
    def _law(self, art: _Article) -> tuple[str, str, str, str, str]:
        if "law" not in art.data:
            art.data["law"] = self._rng.choice(LAWS)
        return art.data["law"]  # type: ignore[return-value]

    def _v_law(self, art, key):
        return self._law(art)[0]

    def _v_law_self(self, art, key):
        return "本法" if self._law(art)[1] == "法" else "本条例"

    def _v_law_role(self, art, key):
        if self._law(art)[1] == "法":
            return "财税领域的一部重要法律"
        return "财税领域的一部重要行政法规"

    def _v_law_passed(self, art, key):
        if self._law(art)[1] == "法":
            return "由全国人民代表大会常务委员会审议通过"
        return "由国务院公布施行"

    def _v_law_purpose(self, art, key):
        return self._law(art)[2]

    def _v_law_contents(self, art, key):
        return self._law(art)[3]

    def _v_law_rule(self, art, key):
        return self._law(art)[4]

    def _reg(self, art: _Article) -> tuple[str, str, str, str]:
        if "reg" not in art.data:
            art.data["reg"] = self._rng.choice(REG_DOCS)
        return art.data["reg"]  # type: ignore[return-value]

    def _v_reg_doc(self, art, key):
        return self._reg(art)[0]

    def _v_reg_subject(self, art, key):
        return self._reg(art)[1]

    def _v_reg_aim(self, art, key):
        return self._reg(art)[2]

    def _v_reg_basis(self, art, key):
        return self._reg(art)[3]

    def _v_reg_self(self, art, key):
        return self._reg(art)[0][-2:]

    # tax policies
    def _tax(self, art: _Article) -> tuple[str, str, tuple[str, ...], str]:
        if "tax" not in art.data:
            art.data["tax"] = self._rng.choice(TAX_POLICIES)
        return art.data["tax"]  # type: ignore[return-value]

    def _v_tax_pref(self, art, key):
        return self._tax(art)[0]

    def _v_tax_aim(self, art, key):
        return self._tax(art)[1]

    def _v_tax_term(self, art, key):
        return self._tax(art)[3]

    def _v_tax_lead(self, art, key):
        return self._tax(art)[2][0]

    def _v_tax_rule(self, art, key):
        """The policy's own rules in order, then procedural clauses."""
        clauses = self._tax(art)[2] + TAX_PROCEDURES
        index = art.counters.get("tax_rule", 0)
        art.counters["tax_rule"] = index + 1
        return clauses[index % len(clauses)]

    # services and data sets
    def _service(self, art: _Article) -> tuple[str, str, str, str]:
        if "service" not in art.data:
            art.data["service"] = self._rng.choice(SERVICE_ITEMS)
        return art.data["service"]  # type: ignore[return-value]

    def _v_s_item(self, art, key):
        return self._service(art)[0]

    def _v_s_basis(self, art, key):
        return self._service(art)[1]

    def _v_s_authority(self, art, key):
        return self._service(art)[2]

    def _v_s_limit(self, art, key):
        return self._service(art)[3]

    def _v_s_phone(self, art, key):
        if self._rng.random() < 0.4:
            return "12345政务服务便民热线"
        return "010-" + self._v_phone(art, key)

    def _dataset(self, art: _Article) -> tuple[str, str, str]:
        if "dataset" not in art.data:
            art.data["dataset"] = self._rng.choice(DATASETS)
        return art.data["dataset"]  # type: ignore[return-value]

    def _v_ds_name(self, art, key):
        return self._dataset(art)[0]

    def _v_ds_freq(self, art, key):
        return self._dataset(art)[1]

    def _v_ds_fields(self, art, key):
        return self._dataset(art)[2]

    def _v_ds_format(self, art, key):
        count = self._rng.randint(1, len(DATA_FORMATS))
        return "、".join(sorted(self._rng.sample(DATA_FORMATS, count), key=DATA_FORMATS.index))

    def _v_ds_page(self, art, key):
        return str(self._rng.choice((500, 1000, 2000)))

    # -- figures ------------------------------------------------------------------

    def _figures(self, art: _Article, prefix: str) -> dict[str, str]:
        slot = "figures_" + prefix
        if slot not in art.data:
            art.data[slot] = getattr(self, _FIGURES[prefix])(art)
        return art.data[slot]  # type: ignore[return-value]

    def _data_figures(self, art: _Article) -> dict[str, str]:
        """Cumulative national revenue and expenditure for 1—m月, internally consistent."""
        rng = self._rng
        year, month = self._year(art), int(self._slot("month", art))
        share = month / 12 * rng.uniform(0.97, 1.03)
        out: dict[str, str] = {"period": f"1—{month}月"}

        def put(name: str, amount: float, pct: float) -> float:
            out[name] = yi(amount)
            out[name + "_chg"] = change(pct)
            return amount / (1 + pct / 100)  # last year's amount

        def derived(name: str, amount: float, last_year: float) -> None:
            put(name, amount, (amount / last_year - 1) * 100)

        revenue = _ANNUAL_REVENUE[year] * share
        tax = revenue * rng.uniform(0.80, 0.86)
        last_tax = put("tax", tax, rng.uniform(-4.0, 4.5))
        last_nontax = put("nontax", revenue - tax, rng.uniform(-6.0, 8.0))
        last_revenue = last_tax + last_nontax
        derived("rev", revenue, last_revenue)
        central = revenue * rng.uniform(0.44, 0.48)
        last_central = put("c_rev", central, rng.uniform(-4.0, 4.0))
        derived("l_rev", revenue - central, last_revenue - last_central)

        tax_pct = (tax / last_tax - 1) * 100
        for name, low, high in (
            ("vat", 0.36, 0.40), ("cons", 0.09, 0.11), ("cit", 0.22, 0.26),
            ("pit", 0.08, 0.10), ("imp", 0.10, 0.12), ("stamp", 0.006, 0.010),
        ):
            pct = tax_pct + rng.uniform(-5.0, 5.0)
            put(name, tax * rng.uniform(low, high), pct)
            if name in _DATA_REASONS:
                out[name + "_why"] = _DATA_REASONS[name][pct < 0]
        out["rev_why"] = rng.choice(_REVENUE_REASONS[revenue < last_revenue])

        spending = _ANNUAL_SPENDING[year] * share
        last_spending = spending / (1 + rng.uniform(1.0, 6.5) / 100)
        derived("exp", spending, last_spending)
        central_spending = spending * rng.uniform(0.13, 0.15)
        last_central_spending = put("c_exp", central_spending, rng.uniform(3.0, 9.0))
        derived("l_exp", spending - central_spending, last_spending - last_central_spending)
        for name, low, high in (
            ("edu", 0.14, 0.16), ("soc", 0.14, 0.16), ("health", 0.07, 0.08),
            ("agri", 0.07, 0.09), ("tech", 0.03, 0.04),
        ):
            put(name, spending * rng.uniform(low, high), rng.uniform(-2.0, 9.0))

        fund_revenue = _ANNUAL_FUND_REVENUE[year] * share
        put("fund_rev", fund_revenue, rng.uniform(-18.0, 3.0))
        put("land", fund_revenue * rng.uniform(0.74, 0.82), rng.uniform(-25.0, -2.0))
        put("fund_exp", fund_revenue * rng.uniform(1.4, 1.7), rng.uniform(-5.0, 15.0))
        return out

    def _budget_figures(self, art: _Article) -> dict[str, str]:
        rng = self._rng
        year = self._year(art)
        c_rev = round(_CENTRAL_REVENUE_BUDGET[year] * rng.uniform(0.99, 1.01))
        stab = rng.randint(1500, 3000)
        other_in = rng.randint(800, 2000)
        c_in = c_rev + stab + other_in
        deficit = rng.randint(340, 486) * 100
        c_exp = c_in + deficit
        transfer = rng.randint(100000, 104000)
        d_rev = rng.randint(300000, 700000)
        d_grant = round(d_rev * rng.uniform(0.85, 0.95))
        d_basic = round(d_rev * rng.uniform(0.20, 0.35))
        sangong = rng.randint(900, 2600)
        si_rev = rng.randint(120000, 135000)
        return {
            "c_rev": str(c_rev),
            "c_rev_pct": f"{rng.uniform(1.5, 4.5):.1f}",
            "stab": str(stab),
            "other_in": str(other_in),
            "c_in": str(c_in),
            "c_exp": str(c_exp),
            "deficit": str(deficit),
            "transfer": str(transfer),
            "own": str(c_exp - transfer),
            "tech": str(rng.randint(3600, 4000)),
            "edu": str(rng.randint(1700, 1900)),
            "d_rev": str(d_rev),
            "d_grant": str(d_grant),
            "d_other": str(d_rev - d_grant),
            "d_exp": str(d_rev),
            "d_basic": str(d_basic),
            "d_project": str(d_rev - d_basic),
            "sangong": str(sangong),
            "sangong_cut": str(round(sangong * rng.uniform(0.03, 0.12))),
            "gf_rev": str(rng.randint(4000, 5200)),
            "gf_chg": change(rng.uniform(-4.0, 8.0)).removeprefix("同比"),
            "soe_rev": str(rng.randint(2000, 2800)),
            "si_rev": str(si_rev),
            "si_fee": str(round(si_rev * rng.uniform(0.72, 0.76))),
            "si_sub": str(round(si_rev * rng.uniform(0.21, 0.24))),
        }

    def _report_figures(self, art: _Article) -> dict[str, str]:
        """Information-disclosure statistics whose outcomes add up."""
        rng = self._rng
        new, carry, carry_on = rng.randint(150, 800), rng.randint(5, 30), rng.randint(3, 25)
        handled = new + carry - carry_on
        counts = {
            "open": round(handled * rng.uniform(0.35, 0.50)),
            "part": round(handled * rng.uniform(0.05, 0.10)),
            "deny": round(handled * rng.uniform(0.03, 0.08)),
            "none": round(handled * rng.uniform(0.15, 0.28)),
            "reject": round(handled * rng.uniform(0.05, 0.12)),
        }
        counts["other"] = handled - sum(counts.values())
        review = rng.randint(5, 40)
        keep = round(review * rng.uniform(0.70, 0.95))
        fix = rng.randint(0, review - keep)
        out = {name: str(value) for name, value in counts.items()}
        out.update(
            public=str(rng.randint(1200, 4000)),
            rules=str(rng.randint(20, 80)),
            press=str(rng.randint(6, 30)),
            new=str(new),
            carry=str(carry),
            next=str(carry_on),
            review=str(review),
            review_keep=str(keep),
            review_fix=str(fix),
            review_other=str(review - keep - fix),
            suit=str(rng.randint(2, 20)),
        )
        return out

    def _procurement_fields(self, art: _Article) -> dict[str, str]:
        """One tender: purchaser, agent, project, money and the dates that follow."""
        rng = self._rng
        year = self._year(art)
        if rng.random() < 0.6:
            purchaser, city = rng.choice(PROCUREMENT_PURCHASERS), ("北京市", "北京")
        else:
            city_row = rng.choice(CITIES + _MUNICIPALITY_CITIES)
            code, name = _PROVINCE_BY_CODE[city_row[3]][:2]
            purchaser, city = _bureau_of(code, name), (city_row[1], city_row[2])
        project, category = rng.choice(PROCUREMENT_PROJECTS)
        published = art.on or _dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
        get_start = published + _dt.timedelta(days=1)
        deadline = published + _dt.timedelta(days=rng.randint(21, 30))
        new_deadline = deadline + _dt.timedelta(days=rng.randint(7, 15))
        budget = rng.uniform(28, 1800)
        award = budget * rng.uniform(0.80, 0.99)
        platform = (
            "中央政府采购网电子交易平台" if city[1] == "北京" and purchaser in PROCUREMENT_PURCHASERS
            else f"{city[0]}公共资源交易中心电子交易平台"
        )
        agent = self._company(city[1], AGENT_INDUSTRIES)
        supplier_city = rng.choice(CITIES)
        experts = [self.author() for _ in range(5)]
        area = AREA_CODES[city[1]]
        return {
            "purchaser": purchaser,
            "purchaser_addr": self._address(city[0]),
            "contact": rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
            "phone": f"{area}-{self._local_number(area)}",
            "agent": agent,
            "agent_addr": self._address(city[0]),
            "agent_contact": rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
            "agent_phone": f"{area}-{self._local_number(area)}",
            "project": project,
            "category": category,
            "code": f"{rng.choice(('CZB', 'GKZX', 'ZCJ', 'ZFCG'))}-{year}-{rng.randint(1, 2999):04d}",
            "budget": f"{budget:.2f}",
            "award": f"{award:.2f}",
            "fee": f"{award * rng.uniform(0.008, 0.015):.2f}",
            "months": str(rng.choice((3, 6)) if category in ("货物", "工程") else rng.choice((12, 24, 36))),
            "staff": str(rng.randint(3, 8)),
            "sme": rng.choice((
                "本项目专门面向中小企业采购。",
                "本项目非专门面向中小企业采购，对小微企业报价给予10%的价格扣除。",
            )),
            "platform": platform,
            "date": cn_date(published),
            "get_start": cn_date(get_start),
            "get_end": cn_date(get_start + _dt.timedelta(days=6)),
            "deadline": f"{cn_date(deadline)}9时30分（北京时间）",
            "open": cn_date(deadline),
            "new_deadline": f"{cn_date(new_deadline)}9时30分（北京时间）",
            "fix_date": cn_date(published + _dt.timedelta(days=rng.randint(5, 12))),
            "supplier": self._company(supplier_city[2], COMPANY_INDUSTRIES[category], avoid=agent),
            "supplier_addr": self._address(supplier_city[1]),
            "experts": "、".join(experts),
        }

    def _v_p_need(self, art, key):
        category = self._figures(art, "p")["category"]
        return self._pick_fresh(PROCUREMENT_NEEDS[category], art)

    def _company(self, city: str, industries: tuple[str, ...], avoid: str = "") -> str:
        while True:
            brand = self._rng.choice(COMPANY_PREFIXES) + self._rng.choice(COMPANY_SUFFIXES)
            name = f"{city}{brand}{self._rng.choice(industries)}有限公司"
            if brand[0] != brand[1] and name != avoid:
                return name

    def _address(self, city: str) -> str:
        streets = BEIJING_STREETS if city == "北京市" else ROADS
        return f"{city}{self._rng.choice(streets)}{self._rng.randint(1, 199)}号"

    def _local_number(self, area: str) -> str:
        digits = 8 if len(area) == 3 else 7
        return str(self._rng.randint(5, 8)) + "".join(
            str(self._rng.randint(0, 9)) for _ in range(digits - 1)
        )


# ---------------------------------------------------------------------------
# Lookups used by the composer
# ---------------------------------------------------------------------------

#: how ``{x_name}`` slots map to a Composer method computing a dict of figures
_FIGURES: Mapping[str, str] = {
    "d": "_data_figures",
    "b": "_budget_figures",
    "r": "_report_figures",
    "p": "_procurement_fields",
}

#: national general public budget, 亿元, whole year (plausible magnitudes)
_ANNUAL_REVENUE = {2024: 219700, 2025: 223000, 2026: 229000}
_ANNUAL_SPENDING = {2024: 284600, 2025: 297000, 2026: 305000}
_ANNUAL_FUND_REVENUE = {2024: 62000, 2025: 60000, 2026: 61500}
_CENTRAL_REVENUE_BUDGET = {2024: 102000, 2025: 105000, 2026: 108000}

#: why a tax grew or fell: name -> (reason when growing, reason when falling)
_DATA_REASONS: Mapping[str, tuple[str, str]] = {
    "cit": ("部分行业企业利润增长带动", "部分行业企业利润下降"),
    "imp": ("一般贸易进口增长", "进口大宗商品价格有所回落"),
    "stamp": ("证券市场交易活跃", "证券交易印花税税率减半征收等政策翘尾影响"),
}
_REVENUE_REASONS: Mapping[bool, tuple[str, ...]] = {
    False: ("经济运行回升向好", "工业生产平稳增长", "价格水平有所回升"),
    True: ("上年同期基数较高", "部分税费优惠政策翘尾减收", "工业生产者出厂价格下降"),
}

_PROVINCE_BY_CODE = {row[0]: row for row in PROVINCES}

#: the four municipalities as "cities" (code, name, short, province code)
_MUNICIPALITY_CITIES: tuple[tuple[str, str, str, str], ...] = tuple(
    (code, name, short, code) for code, name, short in PROVINCES if code in _MUNICIPALITIES
)

REGIONS: tuple[tuple[str, str], ...] = tuple(
    [(code, name) for code, name, _short in PROVINCES]
    + [(code, name) for code, name, _short, _prov in CITIES]
)


class _Subject(NamedTuple):
    """What ``Composer.title(kind, about=...)`` pins on a new article: slot values and entities."""

    values: dict[str, str]
    data: dict[str, object]


def _subject(about: str) -> _Subject:
    for row in LAWS:
        if row[0] == about:
            return _Subject({}, {"law": row})
    for row in REG_DOCS:
        if row[0] == about:
            return _Subject({}, {"reg": row})
    for row in TAX_POLICIES:
        if row[0] == about:
            return _Subject({}, {"tax": row})
    for doc, topic in DOCS:
        if doc == about:
            return _Subject({"doc": doc}, {"doc_topic": topic})
    if about in TOPICS:
        return _Subject({"topic": about}, {})
    raise ValueError(f"unknown subject {about!r}: expected a law, a rule, a tax policy, a document or a topic")


def _department_for(subject: str) -> str:
    """The department that would speak about ``subject`` (a topic or a document)."""
    for keyword, department in DEPARTMENT_KEYWORDS:
        if keyword in subject:
            return department
    return "预算司"


def _bureau_of(code: str, name: str) -> str:
    """北京市财政局 for a municipality, 四川省财政厅 / 广西壮族自治区财政厅 otherwise."""
    return name + ("财政局" if code in _MUNICIPALITIES else "财政厅")
