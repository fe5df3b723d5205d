"""Load and loss: N applicants file online at once, each with a 1 MB PDF and a 1 MB PNG, then nothing may be missing.

    .venv/bin/python bench/filings.py [--applicants 200] [--workers 4] [--threads 4] [--double 0.2]

Starts the project's PostgreSQL cluster (scripts/postgres.sh) and creates a throwaway database in it, builds a
service guide with online filing open and two required materials, and N verified applicants already logged in
(sessions written straight into the session table, so the load is filing, not login). Serves the portal with
gunicorn (deploy/gunicorn.conf.py, portal.settings.production, DEBUG off) on a free 127.0.0.1 port, with the
headers nginx would add. Then, from one client thread per request:

1. baseline: the same number of clients at once GET /robots.txt (a constant-response view) a few times each;
2. every applicant GETs the form (CSRF token and idempotency key), all at once;
3. every applicant POSTs the filing at once; a share of them double-submit with the same idempotency key,
   half as a double click (two POSTs racing), half as a resend after the first answer.

Afterwards the database and the private storage are reconciled with what the clients sent and received: every
successful answer (a filing answers 302 to its 申报号 page: Post/Redirect/Get) has exactly one application, a double
submit filed one application, each stored file hashes to what was sent, tracking numbers are unique, no file is left
without its row, and no answer was a 5xx. Prints throughput, latency p50/p95 and status counts, with ratios to the
baseline. Stops gunicorn, drops the database and
removes its temporary files (unless --keep). Nothing is asserted; the exit status is 1 if reconciliation fails.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
HOST = "127.0.0.1"
PG_LOG = Path(os.environ.get("JINCAI_PG_DIR", ROOT / "var/pg")) / "server.log"
BOUNDARY_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


# ---------------------------------------------------------------------------------------------------------------
# The environment: database, Django in this process, gunicorn


def start_postgres() -> str:
    result = subprocess.run(["bash", str(ROOT / "scripts/postgres.sh"), "start"], cwd=ROOT, check=True,
                            stdout=subprocess.PIPE, text=True)
    return result.stdout.strip().splitlines()[-1]


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


def admin_sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def postgres_log_size() -> int:
    try:
        return PG_LOG.stat().st_size
    except OSError:
        return -1


def idempotency_races(database: str, since: int) -> int | None:
    """Double clicks whose second INSERT met the first in the unique index (the IntegrityError path), from the
    cluster's log; None when the log cannot be read."""
    if since < 0:
        return None
    try:
        with open(PG_LOG, "rb") as log:
            log.seek(since)
            lines = log.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    return sum(f"@{database} ERROR:" in line and "application_idempotent_submit" in line for line in lines)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def portal_env(workdir: Path, database_url: str) -> dict[str, str]:
    """What production would get from /etc/jincai/env, pointed at the temporary directory."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": database_url,
        "JINCAI_VAR_DIR": str(workdir / "var"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        # Notifications go nowhere: the load is filing, not an SMTP server that is not there.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "SMS_BACKEND": "services_hall.notifications.LocmemSmsBackend",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"),
               "--bind", f"{HOST}:{port}", "--workers", str(workers), "--threads", str(threads),
               "--worker-class", "gthread" if threads > 1 else "sync"]
    with open(log, "ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out,
                                  start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if request("GET", port, "/robots.txt", nginx_headers(port)).status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    stop_gunicorn(server)
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---------------------------------------------------------------------------------------------------------------
# The site: one guide, N verified applicants with sessions


@dataclass
class Site:
    guide_id: int
    materials: list[tuple[int, str]]  # (ServiceMaterial pk, name), in form order


@dataclass
class Applicant:
    index: int
    pk: int
    session_key: str
    pdf: bytes = b""
    png: bytes = b""
    # what the client saw
    csrf_cookie: str = ""
    csrf_token: str = ""
    idempotency_key: str = ""
    form_material_fields: list[str] = field(default_factory=list)
    double: str = ""  # "", "race" or "resend"

    @property
    def pdf_name(self) -> str:
        return f"申请表-{self.index:04d}.pdf"

    @property
    def png_name(self) -> str:
        return f"营业执照-{self.index:04d}.png"


def build_site() -> Site:
    from django.core.management import call_command
    from wagtail.models import Page
    from wagtail.models import Site as WagtailSite

    from portal.models import HomePage, SectionPage
    from services_hall.models import ServiceFormField, ServiceGuidePage, ServiceMaterial

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest storage needs it when DEBUG is off
    root = Page.get_first_root_node()
    for child in root.get_children():
        child.delete()
    home = HomePage(title="首页", slug="home")
    Page.objects.get(pk=root.pk).add_child(instance=home)
    WagtailSite.objects.all().delete()
    WagtailSite.objects.create(hostname=HOST, port=443, root_page=home, is_default_site=True, site_name="金财门户")
    section = SectionPage(title="政务服务", slug="services")
    home.add_child(instance=section)
    guide = ServiceGuidePage(
        title="代理记账资格审批", slug="daili-jizhang", service_code="000105001000", implementing_body="市财政局",
        legal_basis="<p>《中华人民共和国会计法》第三十六条；《代理记账管理办法》（财政部令第98号）。</p>",
        statutory_days=20, promised_days=10, online_filing_open=True,
    )
    section.add_child(instance=guide)
    materials = [ServiceMaterial.objects.create(page=guide, name=name, required=True, sort_order=order)
                 for order, name in enumerate(["代理记账资格申请表", "营业执照"])]
    ServiceFormField.objects.create(page=guide, clean_name="company_name", label="机构名称", field_type="singleline",
                                    required=True, sort_order=0)
    ServiceFormField.objects.create(page=guide, clean_name="staff_count", label="专职从业人员数", field_type="number",
                                    required=True, sort_order=1)
    return Site(guide_id=guide.pk, materials=[(m.pk, m.name) for m in materials])


def uscc_for(n: int) -> str:
    from services_hall.validators import uscc_check_char

    body = f"91350100MA{n:07d}"
    return body + uscc_check_char(body)


def create_applicants(count: int) -> list[Applicant]:
    """Verified (active) enterprise accounts, each with a logged-in session, as the login view would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from services_hall.models import Applicant as ApplicantRow

    user_model = get_user_model()
    password = make_password("bench-filings-password")  # hashed once: 200 PBKDF2 rounds would only time the setup
    with transaction.atomic():
        users = user_model.objects.bulk_create(
            user_model(username=uscc_for(n), email=f"bench{n:04d}@example.com", first_name=f"第{n}代理记账有限公司",
                       password=password, is_active=True)
            for n in range(1, count + 1)
        )
        ApplicantRow.objects.bulk_create(
            ApplicantRow(user=user, kind=ApplicantRow.Kind.ENTERPRISE, name=f"福州市第{n}代理记账有限公司",
                         uscc=user.username, contact_name="张会计", phone=f"1390000{n:04d}")
            for n, user in enumerate(users, start=1)
        )
    by_user = dict(ApplicantRow.objects.values_list("user_id", "pk"))
    applicants = []
    for n, user in enumerate(users, start=1):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        applicants.append(Applicant(index=n, pk=by_user[user.pk], session_key=session.session_key))
    return applicants


# ---------------------------------------------------------------------------------------------------------------
# The files each applicant sends: different bytes for everyone, so a swapped file cannot hash right


def pdf_of_size(size: int, rng: random.Random, label: str) -> bytes:
    """A well-formed PDF (catalog, one empty page, a content stream, xref, trailer) padded to exactly `size` bytes."""
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]

    def assemble(padding: int) -> bytes:
        body = bytearray(head)
        offsets = []
        stream = f"% {label}\n".encode() + bytes(rng_bytes[:padding])
        for number, obj in enumerate(objects + [None], start=1):
            offsets.append(len(body))
            if obj is None:
                body += f"{number} 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode()
                body += stream + b"\nendstream\nendobj\n"
            else:
                body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
        xref = len(body)
        body += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
        body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
        body += f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(body)

    rng_bytes = rng.randbytes(size)
    overhead = len(assemble(0))
    padding = size - overhead
    document = assemble(padding)
    # The digits of /Length and startxref grew with the padding: trim by the difference.
    document = assemble(padding - (len(document) - size))
    assert len(document) == size, (len(document), size)
    return document


def png_of_about(size: int, rng: random.Random) -> bytes:
    """A real PNG written by Pillow: random RGB pixels barely compress, so width × height × 3 ≈ the file size."""
    from PIL import Image

    side = int((size / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# HTTP, with the standard library only


@dataclass
class Reply:
    status: int  # 0: no answer (connection error or timeout)
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float
    error: str = ""

    def header(self, name: str) -> str:
        return next((value for key, value in self.headers if key.lower() == name.lower()), "")

    def cookies(self) -> dict[str, str]:
        from http.cookies import SimpleCookie

        jar: dict[str, str] = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value)
                jar.update({name: morsel.value for name, morsel in cookie.items()})
        return jar


def request(method: str, port: int, path: str, headers: dict[str, str], body: bytes | None = None,
            timeout: float = 300) -> Reply:
    started = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, response.getheaders(), data, time.perf_counter() - started)
    except (OSError, http.client.HTTPException) as error:
        return Reply(0, [], b"", time.perf_counter() - started, error=f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def nginx_headers(port: int, client: int = 1) -> dict[str, str]:
    """What nginx in front of gunicorn adds: the scheme it terminated TLS for and the client's address."""
    return {"Host": f"{HOST}:{port}", "X-Forwarded-Proto": "https", "X-Real-IP": f"10.{client // 65536 % 256}."
            f"{client // 256 % 256}.{client % 256}", "User-Agent": "jincai-bench-filings"}


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]) -> tuple[str, bytes]:
    boundary = "----jincai" + "".join(secrets.choice(BOUNDARY_ALPHABET) for _ in range(24))
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content_type, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def input_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', page)
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    return html.unescape(value.group(1)) if value else ""


def error_texts(body: bytes) -> list[str]:
    page = body.decode("utf-8", "replace")
    texts = re.findall(r'class="[^"]*(?:form-error|errorlist|form-summary)[^"]*"[^>]*>(.*?)</', page, re.S)
    return [re.sub(r"<[^>]+>|\s+", " ", html.unescape(t)).strip() for t in texts if t.strip()] or [page[:200]]


# ---------------------------------------------------------------------------------------------------------------
# The load


@dataclass
class Outcome:
    applicant: Applicant
    attempt: int  # 1, or 2 for the second POST of a double submit
    reply: Reply

    @property
    def tracking_number(self) -> str:
        match = re.search(r"/hall/my/([^/]+)/submitted/$", self.reply.header("Location"))
        return urllib.parse.unquote(match.group(1)) if self.reply.status == 302 and match else ""


def run_at_once(jobs: list, work, prepare=None) -> tuple[list, float]:
    """work(prepare(job)) for every job in its own thread, all released together once prepared; the results (None
    where a thread failed) and the wall time from the release to the last answer."""
    results: list = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs) + 1, timeout=900)

    def run(position: int, job) -> None:
        try:
            ready = prepare(job) if prepare else job
        finally:
            barrier.wait()  # even after a failure, or everyone else would wait for ever
        results[position] = work(ready)

    threads = [threading.Thread(target=run, args=(i, job), daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    barrier.wait()
    released = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - released


def baseline(port: int, clients: int, per_client: int) -> tuple[list[Reply], float]:
    def work(client: int) -> list[Reply]:
        return [request("GET", port, "/robots.txt", nginx_headers(port, client)) for _ in range(per_client)]

    results, wall = run_at_once(list(range(clients)), work)
    return [reply for replies in results if replies for reply in replies], wall


def get_forms(port: int, site: Site, applicants: list[Applicant]) -> tuple[list[Reply], float]:
    path = f"/hall/apply/{site.guide_id}/"

    def work(applicant: Applicant) -> Reply:
        reply = request("GET", port, path, {**nginx_headers(port, applicant.index),
                                             "Cookie": f"sessionid={applicant.session_key}"})
        if reply.status == 200:
            page = reply.body.decode("utf-8")
            applicant.csrf_cookie = reply.cookies().get("csrftoken", "")
            applicant.csrf_token = input_value(page, "csrfmiddlewaretoken")
            applicant.idempotency_key = input_value(page, "idempotency_key")
            applicant.form_material_fields = re.findall(r'<input[^>]*\bname="(material_\d+)"', page)
        return reply

    replies, wall = run_at_once(applicants, work)
    return [reply for reply in replies if reply], wall


class PostFilings:
    """The POSTs of one client thread: a job is (applicant, first attempt, how many POSTs in a row)."""

    def __init__(self, port: int, site: Site):
        self.port, self.site = port, site

    def prepare(self, job):
        applicant, attempt, repeat = job
        fields = [("csrfmiddlewaretoken", applicant.csrf_token), ("idempotency_key", applicant.idempotency_key),
                  ("company_name", f"福州市第{applicant.index}代理记账有限公司"), ("staff_count", "5")]
        (pdf_field, _), (png_field, _) = self.site.materials
        content_type, body = multipart(fields, [
            (f"material_{pdf_field}", applicant.pdf_name, "application/pdf", applicant.pdf),
            (f"material_{png_field}", applicant.png_name, "image/png", applicant.png),
        ])
        origin = f"https://{HOST}:{self.port}"
        headers = {
            **nginx_headers(self.port, applicant.index), "Content-Type": content_type, "Origin": origin,
            "Referer": f"{origin}/hall/apply/{self.site.guide_id}/",
            "Cookie": f"sessionid={applicant.session_key}; csrftoken={applicant.csrf_cookie}",
        }
        return applicant, attempt, repeat, headers, body

    def __call__(self, prepared) -> list[Outcome]:
        applicant, attempt, repeat, headers, body = prepared
        path = f"/hall/apply/{self.site.guide_id}/"
        return [Outcome(applicant, attempt + n, request("POST", self.port, path, headers, body))
                for n in range(repeat)]


def post_filings(port: int, site: Site, applicants: list[Applicant]) -> tuple[list[Outcome], float]:
    jobs = []
    for applicant in applicants:
        if not applicant.idempotency_key:
            continue  # its GET failed; counted there
        if applicant.double == "race":
            jobs += [(applicant, 1, 1), (applicant, 2, 1)]  # a double click: both in flight together
        elif applicant.double == "resend":
            jobs.append((applicant, 1, 2))  # the browser resends after the first answer
        else:
            jobs.append((applicant, 1, 1))
    poster = PostFilings(port, site)
    results, wall = run_at_once(jobs, poster, prepare=poster.prepare)
    return [outcome for outcomes in results if outcomes for outcome in outcomes], wall


# ---------------------------------------------------------------------------------------------------------------
# Reconciliation


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def reconcile(site: Site, applicants: list[Applicant], outcomes: list[Outcome], private_root: Path) -> list[str]:
    """Every problem found, in words; an empty list means nothing was lost, doubled or damaged."""
    from django.db.models import Count

    from services_hall.models import Application, ApplicationEvent, ApplicationMaterial
    from services_hall.workflow import Action

    problems: list[str] = []
    by_applicant: dict[int, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_applicant[outcome.applicant.pk].append(outcome)
        if outcome.reply.status >= 500 or outcome.reply.status == 0:
            problems.append(f"applicant {outcome.applicant.index} attempt {outcome.attempt}: "
                            f"{outcome.reply.status or outcome.reply.error}")
        elif outcome.reply.status != 302 or not outcome.tracking_number:
            problems.append(f"applicant {outcome.applicant.index} attempt {outcome.attempt}: status "
                            f"{outcome.reply.status} {outcome.reply.header('Location')} "
                            f"{'; '.join(error_texts(outcome.reply.body))[:300]}")

    applications = {a.tracking_number: a for a in Application.objects.filter(service_id=site.guide_id)}
    per_applicant = Counter(a.applicant_id for a in applications.values())
    if len(applications) != len({a.tracking_number for a in applications.values()}):
        problems.append("tracking numbers are not unique")
    materials = defaultdict(list)
    for material in ApplicationMaterial.objects.filter(application__service_id=site.guide_id).order_by("pk"):
        materials[material.application_id].append(material)
    submit_events = dict(
        ApplicationEvent.objects.filter(action=Action.SUBMIT).values("application_id")
        .annotate(n=Count("pk")).values_list("application_id", "n")
    )

    for applicant in applicants:
        seen = {o.tracking_number for o in by_applicant.get(applicant.pk, []) if o.tracking_number}
        filed = per_applicant.get(applicant.pk, 0)
        label = f"applicant {applicant.index}{' (' + applicant.double + ')' if applicant.double else ''}"
        if applicant.idempotency_key and applicant.pk not in by_applicant:
            problems.append(f"{label}: its client thread recorded no answer")
        if len(seen) > 1:
            problems.append(f"{label}: one idempotency key answered with {len(seen)} tracking numbers {sorted(seen)}")
        if filed != (1 if seen else 0):
            problems.append(f"{label}: {filed} applications in the database, {len(seen)} tracking numbers answered")
        for number in seen:
            application = applications.get(number)
            if application is None or application.applicant_id != applicant.pk:
                problems.append(f"{label}: answered {number}, which is not its application in the database")
                continue
            if submit_events.get(application.pk, 0) != 1:
                problems.append(f"{label}: {submit_events.get(application.pk, 0)} submit events")
            expected = {
                (site.materials[0][0], applicant.pdf_name, sha256(applicant.pdf), len(applicant.pdf)),
                (site.materials[1][0], applicant.png_name, sha256(applicant.png), len(applicant.png)),
            }
            stored = materials.get(application.pk, [])
            recorded = {(m.requirement_id, m.original_name, m.sha256, m.size) for m in stored}
            if recorded != expected or len(stored) != 2:
                problems.append(f"{label}: material rows {sorted(recorded)} differ from what was sent")
            for material in stored:
                path = private_root / material.file.name
                if not path.is_file():
                    problems.append(f"{label}: {material.name} file {material.file.name} is missing")
                elif sha256(path.read_bytes()) != material.sha256:
                    problems.append(f"{label}: {material.name} file {material.file.name} does not hash to its row")

    referenced = {m.file.name for rows in materials.values() for m in rows}
    on_disk = {str(p.relative_to(private_root)) for p in private_root.rglob("*") if p.is_file()}
    orphans = on_disk - referenced
    if orphans:
        problems.append(f"{len(orphans)} stored files without a material row, e.g. {sorted(orphans)[:3]}")
    return problems


# ---------------------------------------------------------------------------------------------------------------
# Figures


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def statuses(replies: list[Reply]) -> str:
    counts = Counter(reply.status or f"no answer ({reply.error.split(':')[0]})" for reply in replies)
    return ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=lambda item: str(item[0])))


def row(name: str, replies: list[Reply], wall: float, base: tuple[float, float, float] | None, unit: str) -> str:
    times = [reply.seconds for reply in replies]
    rate = len(replies) / wall if wall else 0.0
    p50, p95 = percentile(times, 50), percentile(times, 95)
    text = f"{name:<34}{len(replies):>6}{rate:>9.1f} {unit:<10}{p50 * 1000:>9.0f}{p95 * 1000:>9.0f}"
    if base:
        text += f"{rate / base[0]:>9.3f}{p50 / base[1]:>9.1f}{p95 / base[2]:>9.1f}"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=200, help="applicants filing at once (default 200)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker, gthread (default 4)")
    parser.add_argument("--double", type=float, default=0.2, help="share of applicants who submit twice (default 0.2)")
    parser.add_argument("--baseline-requests", type=int, default=5, help="robots.txt requests per client (default 5)")
    parser.add_argument("--file-size", type=int, default=MB, help="bytes of each attachment (default 1 MiB)")
    parser.add_argument("--keep", action="store_true", help="keep the database and temporary files for a look")
    args = parser.parse_args()

    cluster_url = start_postgres()
    database = f"jincai_bench_filings_{os.getpid()}"
    database_url = with_database(cluster_url, database)
    workdir = Path(tempfile.mkdtemp(prefix="jincai-bench-filings-"))
    log = workdir / "gunicorn.log"
    server = None
    admin_sql(cluster_url, f'CREATE DATABASE "{database}" ENCODING \'UTF8\' TEMPLATE template0')
    try:
        env = portal_env(workdir, database_url)
        setup_django(env)
        port = free_port()
        started = time.perf_counter()
        site = build_site()
        warm_up, *applicants = create_applicants(args.applicants + 1)  # the first only warms the form page
        rng = random.Random(2026)
        for applicant in applicants:
            applicant.pdf = pdf_of_size(args.file_size, rng, f"bench applicant {applicant.index}")
            applicant.png = png_of_about(args.file_size, rng)
        doubles = rng.sample(applicants, round(len(applicants) * args.double))
        for position, applicant in enumerate(doubles):
            applicant.double = "race" if position % 2 == 0 else "resend"
        from django.db import connections

        connections.close_all()
        server = start_gunicorn(env, port, args.workers, args.threads, log)
        print(f"{args.applicants} applicants ({sum(a.double == 'race' for a in applicants)} double click, "
              f"{sum(a.double == 'resend' for a in applicants)} resend), PDF {len(applicants[0].pdf):,} B + "
              f"PNG ~{statistics.mean(len(a.png) for a in applicants):,.0f} B each; gunicorn {args.workers} workers × "
              f"{args.threads} threads on {HOST}:{port}, PostgreSQL {database} "
              f"(set up in {time.perf_counter() - started:.1f} s)", flush=True)

        # Warm every worker (imports, URL resolver, compiled templates) so the first requests do not time start-up.
        warm_cookie = {"Cookie": f"sessionid={warm_up.session_key}"}
        for _ in range(args.workers * args.threads * 2):
            request("GET", port, "/robots.txt", nginx_headers(port))
            request("GET", port, f"/hall/apply/{site.guide_id}/", {**nginx_headers(port), **warm_cookie})
        post_clients = len(applicants) + sum(a.double == "race" for a in applicants)
        log_start = postgres_log_size()
        base_replies, base_wall = baseline(port, post_clients, args.baseline_requests)
        form_replies, form_wall = get_forms(port, site, applicants)
        outcomes, post_wall = post_filings(port, site, applicants)
        post_replies = [o.reply for o in outcomes]

        base_times = [r.seconds for r in base_replies]
        base = (len(base_replies) / base_wall, percentile(base_times, 50), percentile(base_times, 95))
        filed = {o.tracking_number for o in outcomes if o.tracking_number}
        print()
        print(f"{'':<34}{'reqs':>6}{'rate':>9} {'':<10}{'p50 ms':>9}{'p95 ms':>9}{'×rate':>9}{'×p50':>9}{'×p95':>9}")
        print(row(f"baseline GET /robots.txt ×{post_clients}", base_replies, base_wall, None, "req/s"))
        print(row(f"GET filing form ×{len(applicants)}", form_replies, form_wall, base, "req/s"))
        print(row(f"POST filing (2 × 1 MB) ×{len(post_replies)}", post_replies, post_wall, base, "req/s"))
        print(f"{'filings (distinct applications)':<34}{len(filed):>6}{len(filed) / post_wall:>9.1f} filings/s  "
              f"(POST phase {post_wall:.1f} s, "
              f"{2 * args.file_size * len(post_replies) / post_wall / MB:.1f} MB/s uploaded)")
        print()
        print(f"status codes — baseline: {statuses(base_replies)}")
        print(f"status codes — GET form: {statuses(form_replies)}")
        print(f"status codes — POST:     {statuses(post_replies)}")
        server_errors = sum(r.status >= 500 for r in base_replies + form_replies + post_replies)
        no_answer = sum(r.status == 0 for r in base_replies + form_replies + post_replies)
        print(f"5xx responses: {server_errors}; no answer: {no_answer}")
        races = idempotency_races(database, log_start)
        race_count = sum(a.double == "race" for a in applicants)
        print(f"double clicks whose second INSERT hit the idempotency unique index: "
              f"{'unknown (PostgreSQL log unreadable)' if races is None else races} of {race_count} "
              f"(the others found the first application before inserting)")
        tracebacks = log.read_text(errors="replace").count("Traceback")
        print(f"tracebacks in the gunicorn log: {tracebacks}")

        problems = reconcile(site, applicants, outcomes, Path(env["PRIVATE_MEDIA_ROOT"]))
        problems += [f"GET form for applicant {a.index} failed" for a in applicants if not a.idempotency_key]
        expected_inputs = [f"material_{pk}" for pk, _ in site.materials]
        problems += [f"the form shown to applicant {a.index} has material inputs {a.form_material_fields}"
                     for a in applicants if a.idempotency_key and a.form_material_fields != expected_inputs]
        problems += [f"{n} baseline requests not 200" for n in [sum(r.status != 200 for r in base_replies)] if n]
        # Every filing is in the audit trail, and the SM3 chain written by all workers at once still verifies.
        from audit.models import Action as AuditAction
        from audit.models import AuditRecord
        from audit.selectors import audit_verify

        audited = AuditRecord.objects.filter(action=AuditAction.FILING_STATUS).count()
        chain_problems = audit_verify()
        print(f"audit trail: {AuditRecord.objects.count()} records ({audited} filing status changes), "
              f"SM3 chain {'verifies' if not chain_problems else 'BROKEN'}")
        problems += [f"audit: {problem}" for problem in chain_problems]
        if audited != len(filed):
            problems.append(f"audit: {audited} filing records for {len(filed)} applications")
        double_applicants = [a for a in applicants if a.double]
        print()
        print(f"reconciliation: {len(filed)} applications answered, "
              f"{len(double_applicants)} double submits checked, "
              f"{2 * len(filed)} material files hashed against what was sent")
        if problems:
            print(f"reconciliation: FAILED ({len(problems)} problems)")
            for problem in problems[:40]:
                print(f"  - {problem}")
        if problems or tracebacks:
            trace = log.read_text(errors="replace")
            if "Traceback" in trace:
                print("\nfirst traceback in the gunicorn log:")
                print(trace[trace.index("Traceback"):][:4000])
        if not problems:
            print("reconciliation: OK — every 302 has exactly one application, double submits filed once, "
                  "every file intact, tracking numbers unique, no orphan files, 0 × 5xx")
        return 1 if problems else 0
    finally:
        if server is not None:
            stop_gunicorn(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 — Django may not be set up yet
            pass
        if args.keep:
            print(f"kept: database {database}, files {workdir}", file=sys.stderr)
        else:
            admin_sql(cluster_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
