from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "门户"

    def ready(self):
        from django.urls import register_converter

        from portal.converters import IdConverter

        # <id:…> in every app's URLs: database ids, range-checked before a query (see portal/converters.py).
        register_converter(IdConverter, "id")

        from portal import admin_csp

        admin_csp.install()  # the admin's chooser widgets without inline script (strict CSP)

        from portal.runtime import ensure_runtime_folders

        # Before any command or worker opens the SQLite file or writes an upload.
        ensure_runtime_folders()

        from portal.page_cache import connect_signals

        # Publishing, moving, deleting a page or editing a snippet or setting purges the pages that show it.
        connect_signals()

        from portal import sites

        sites.connect_signals()

        from portal import restrictions

        # .public() and the check before serving a page read the private paths from the cache.
        restrictions.install()
        restrictions.connect_signals()

        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from portal.cache import bump_content_version

        def page_saved(sender, instance, **kwargs):
            # Pages made in code (imports, the demo) are saved live without a publish signal.
            if isinstance(instance, Page):
                bump_content_version()

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(bump_content_version, dispatch_uid=f"portal-content-version-{signal!r}")
        post_save.connect(page_saved, dispatch_uid="portal-content-version-save", weak=False)
        post_delete.connect(bump_content_version, sender=Page, dispatch_uid="portal-content-version-delete")
