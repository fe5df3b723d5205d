from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "安全审计"

    def ready(self) -> None:
        from audit import signals  # noqa: F401  (connects the auth, permission and Wagtail receivers)
