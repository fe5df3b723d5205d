from .links import LinkFields
from .pages import DataHighlight, HomePage, InfoPage, SectionPage, ServiceShortcut, TopicBanner
from .site_settings import FooterLink, MainMenuItem, NavigationSettings, SiteIdentity

__all__ = [
    "DataHighlight",
    "ServiceShortcut",
    "TopicBanner",
    "FooterLink",
    "HomePage",
    "InfoPage",
    "LinkFields",
    "MainMenuItem",
    "NavigationSettings",
    "SectionPage",
    "SiteIdentity",
]
