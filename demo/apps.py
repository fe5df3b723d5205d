from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Everything `load_demo` makes. It depends on every app; no app depends on it."""

    name = "demo"
    verbose_name = "演示内容"
