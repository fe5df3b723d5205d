"""manage.py audit verify | prune — check the audit trail's hash chain; remove records past the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.selectors import audit_verify
from audit.services import MIN_RETENTION_DAYS, audit_prune


class Command(BaseCommand):
    help = "审计记录：verify 校验哈希链（发现被修改、删除或插入的记录并指明序号）；prune 清理超过保存期限的记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验整条审计链")
        prune = sub.add_parser("prune", help="清理超过保存期限的记录（先写入签名检查点，校验不受影响）")
        prune.add_argument("--days", type=int, default=None,
                           help=f"保存天数（默认 AUDIT_RETENTION_DAYS，不少于 {MIN_RETENTION_DAYS}）")

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "verify":
            problems = audit_verify()
            for problem in problems:
                self.stderr.write(str(problem))
            if problems:
                raise CommandError(f"审计链校验失败：发现 {len(problems)} 处问题。")
            self.stdout.write("审计链校验通过。")
        else:
            days = options["days"] or settings.AUDIT_RETENTION_DAYS
            try:
                removed = audit_prune(days=days)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"已清理 {removed} 条超过 {days} 天的审计记录。")
