from .links import LinkFields
from .passwords import PasswordAgeExemption, PasswordHistory
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
    "PasswordAgeExemption",
    "PasswordHistory",
    "MainMenuItem",
    "NavigationSettings",
    "SectionPage",
    "SiteIdentity",
]
