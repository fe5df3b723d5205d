"""Build the demo site, service guides, open data and the demo accounts; running it again changes nothing."""

import argparse
import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils import timezone

from demo.disclosure import build_disclosure_demo
from demo.desk_accounts import build_desk_accounts
from demo.cadence import set_update_kinds
from demo.front_doors import build_front_doors
from demo.media import build_demo_media
from demo.opendata import build_opendata_demo
from demo.participation import build_participation_demo
from demo.services_hall import build_services_demo
from demo.site import build_demo_site
from opendata import downloads
from portal.models import SectionPage
from portal.passwords import password_age_exempt
from portal.staff_security import demo_second_factor, is_staff_account

ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = ("载入演示站点（栏目、财政新闻、政策文件与解读、政府采购公告、专题、信息页、首页区块、网站标识与导航）"
            "和演示管理员账号；可重复执行。")

    def add_arguments(self, parser):
        parser.add_argument("--base-url", help="站点对外地址（如 http://127.0.0.1:8000/）：站点地图等完整链接以此为准")
        parser.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                            help="演示内容的日期以这一天为“今天”（默认今天）：同一日期载入的站点逐页、逐个网址相同")

    def handle(self, *args, **options):
        today = options["as_of"] or timezone.localdate()
        self.stdout.write(f"正在载入演示内容（日期以 {today:%Y年%m月%d日} 为准）……")
        home = build_demo_site(today=today, log=self.stdout.write)
        if options["base_url"]:
            _serve_site_at(home, options["base_url"])
        self.stdout.write("  政务服务：办事指南、演示账号、办件与来信……")
        services = build_services_demo(parent=SectionPage.objects.child_of(home).get(slug="services"), today=today)
        # Service guides and open data are loaded here, not in build_demo_site: the browser tests that build the
        # site want it quick, and the open-data demo holds a 120,000-row resource.
        # The download files are written by `manage.py build_downloads` (make run starts it beside the server) or on
        # first request: the 120,000-row resource's XLSX alone takes longer than the rest of the open-data demo.
        with downloads.deferred():
            build_opendata_demo(home, today=today, log=self.stdout.write)
        build_front_doors(home)  # 政务服务, 数据开放, 互动交流, 依申请公开 as their front-door page types
        build_participation_demo(home, today=today)  # 征求意见, 网上调查, 在线访谈 under 互动交流
        build_disclosure_demo(today=today, log=self.stdout.write)  # 依申请公开 cases and last year's annual report
        set_update_kinds(home)  # 栏目更新要求 as an editor would set them (机构职能 stable, 年度报告 yearly …)
        build_demo_media(log=self.stdout.write)  # a few policy PDFs now; build_downloads writes the rest
        self.stdout.write(self.style.SUCCESS(f"演示站点就绪：{home.get_descendants().live().count()} 个已发布页面。"))
        username, password = ensure_demo_admin()
        self.stdout.write(f"演示管理员：用户名 {username}  密码 {password}")
        for line in services.login_lines():
            self.stdout.write(line)
        self.stdout.write("工作人员登录后台须二次验证：在验证器应用中添加下面的密钥，或输入一次性恢复码（每次载入演示时另发一个）。")
        for user in get_user_model().objects.filter(username__in=_demo_staff(services)).order_by("pk"):
            if not is_staff_account(user):
                continue
            secret, code = demo_second_factor(user=user)
            password_age_exempt(user=user, reason="演示账户：载入演示时设置，密码不过期，使 make run 始终可用")
            self.stdout.write(f"  二次验证 {user.get_username()}：恢复码 {code}  （验证器密钥 {secret}）")
        self.stdout.write("编辑、三审、数据审批的演示账号（登录后仪表板显示各自的工作台）：")
        for line in build_desk_accounts(home):
            self.stdout.write(line)


def _demo_staff(services) -> list[str]:
    return [ADMIN_USERNAME] + [account.username for account in services.accounts]


def ensure_demo_admin() -> tuple[str, str]:
    """The demo superuser's login. Its password is made once, kept in VAR_DIR (never in the repository)."""
    credentials = settings.VAR_DIR / "demo-admin.txt"
    User = get_user_model()
    user = User.objects.filter(username=ADMIN_USERNAME).first()
    if user is not None:
        if credentials.exists():
            return ADMIN_USERNAME, credentials.read_text().strip()
        return ADMIN_USERNAME, "（已存在，未修改）"
    password = secrets.token_urlsafe(9)
    User.objects.create_superuser(ADMIN_USERNAME, "admin@portal.example.gov.cn", password,
                                  first_name="演示", last_name="管理员")
    credentials.parent.mkdir(parents=True, exist_ok=True)
    credentials.write_text(password + "\n")
    credentials.chmod(0o600)
    return ADMIN_USERNAME, password


def _as_of(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of 应为 YYYY-MM-DD 格式的日期，收到“{value}”") from None


def _serve_site_at(home, base_url: str) -> None:
    from urllib.parse import urlsplit

    from wagtail.models import Site

    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    Site.objects.filter(root_page=home).update(hostname=parts.hostname, port=port)
    Site.clear_site_root_paths_cache()
