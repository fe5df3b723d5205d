from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Everything `load_demo` makes. It depends on every app; no app depends on it."""

    name = "demo"
    verbose_name = "演示内容"

    def ready(self):
        from demo.media import build_missing_media
        from portal.registries import download_builder_register

        download_builder_register(name="演示附件与图片", build=build_missing_media)
