"""manage.py tamper_check — 网页防篡改 (audit/tamper.py). Scheduled every few minutes; see docs/production.md."""

from django.core.management.base import BaseCommand, CommandError

from audit import tamper


class Command(BaseCommand):
    help = "网页防篡改：把已发布页面与静态文件的当前内容与指纹（SM3）比对，不一致时发送邮件并在管理后台提示。"

    def add_arguments(self, parser):
        parser.add_argument("--baseline", action="store_true",
                            help="重新采集全部页面与静态文件的指纹（部署或修改全站设置之后运行），并关闭未处理的告警")
        parser.add_argument("--base-url", default="",
                            help="通过 HTTP 从该地址获取页面（经过 nginx、缓存等，与访客看到的一致）；默认在进程内渲染")

    def handle(self, *args, baseline: bool, base_url: str, **options):
        if baseline:
            pages, static = tamper.baseline()
            self.stdout.write(f"已采集指纹：页面 {pages} 个，静态文件 {static} 个。")
            return
        findings = tamper.tamper_check(base_url=base_url)
        for finding in findings:
            self.stderr.write(str(finding))
        if findings:
            raise CommandError(f"网页防篡改检查发现 {len(findings)} 处不一致，已告警。")
        self.stdout.write("网页防篡改检查通过：页面与静态文件均与指纹一致。")
