"""Admin avatars drawn from a person's name: initials on a colour of their own, made here (no outside service)."""

import base64
import hashlib
import unicodedata
from html import escape

# Muted colours with white text at a contrast ratio of at least 4.5:1.
PALETTE = ("#1f5f99", "#8a3b12", "#2f6b3a", "#6b3f8f", "#9b2335", "#00607a", "#5c5c2e", "#7a4a00")


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK")


def avatar_initials(*, full_name: str, username: str) -> str:
    """What the avatar shows: a Chinese name of two or three characters as its given name is called (王芳, 小明 of
    李小明); a longer Chinese label by its last three (演示受理员 → 受理员); the initials of a Latin name; else the first
    letters of the username."""
    name = "".join(full_name.split())
    if name and all(_is_cjk(char) for char in name):
        return name[-2:] if len(name) <= 3 else name[-3:]
    words = [word for word in full_name.split() if word[:1].isalnum()]
    if words:
        return "".join(word[0] for word in words[:2]).upper()
    letters = [char for char in username if char.isalnum()]
    return "".join(letters[:2]).upper() or "?"


def avatar_colour(*, username: str) -> str:
    """The same colour for the same person on every screen."""
    digest = hashlib.sha256(username.encode("utf-8")).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def avatar_svg(*, initials: str, colour: str) -> str:
    size = {1: 0.56, 2: 0.42}.get(len(initials), 0.3)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        f'<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" font-size="{size * 100:.0f}" '
        'font-family="\'Noto Sans CJK SC\',\'WenQuanYi Micro Hei\',\'Microsoft YaHei\',sans-serif">'
        f"{escape(initials)}</text></svg>"
    )


def avatar_data_url(user) -> str:
    """A data: URL of the user's initials avatar (the admin's CSP allows data: images); a plain grey disc where
    there is no user (changes the system made)."""
    if user is None:
        return _data_url(avatar_svg(initials="", colour="#6b6b6b"))
    username = user.get_username()
    svg = avatar_svg(initials=avatar_initials(full_name=user.get_full_name(), username=username),
                     colour=avatar_colour(username=username))
    return _data_url(svg)


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
