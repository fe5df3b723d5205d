from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "内容发布"

    def ready(self):
        from content import feeds, listings, views
        from content.search_documents import register_search_documents
        from portal.registries import ColumnKind, column_kind_register

        register_search_documents()

        # The columns the shell's SectionPage can list: every page, then one kind per type of content.
        for listing in (listings.ENTRIES, *listings.LISTINGS.values()):
            column_kind_register(column_kind=ColumnKind(
                kind=listing.kind, label=listing.label, page_context=views.section_listing_context,
                feed=feeds.section_feed, entries=listing.shown,
            ))
