"""The Wagtail admin under a strict Content-Security-Policy: Wagtail's chooser widgets end in an inline
`<script>new PageChooser("id", {...});</script>`, which the policy blocks. Here that call becomes inert JSON,
`<script type="application/json" data-csp-init="PageChooser" data-csp-new="1" data-csp-target="id">{...}</script>`,
which static/js/admin-csp.js runs. Only calls whose every argument is JSON are converted, so nothing but the
named constructor can run; anything else is left as it was (and the browser tests would report it).
"""

from __future__ import annotations

import json
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

CONSTRUCTOR_CALL = re.compile(r'^\s*(new\s+)?([A-Za-z_$][\w$.]*)\((".*?")(?:,\s*(.*))?\);?\s*$', re.S)


def inert_init(js: str) -> str | None:
    """The JSON form of `new Name("id", {...});` or `name("id");`, or None when `js` is anything else."""
    match = CONSTRUCTOR_CALL.match(js)
    if not match:
        return None
    constructor, name, target, options = bool(match[1]), match[2], match[3], match[4]
    try:
        target_id = json.loads(target)
        config = json.loads(options) if options else None
    except ValueError:
        return None
    if not isinstance(target_id, str):
        return None
    body = json.dumps(config).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    new = ' data-csp-new="1"' if constructor else ""
    return (
        f'<script type="application/json" data-csp-init="{escape(name)}"{new}'
        f' data-csp-target="{escape(target_id)}">{body}</script>'
    )


def install() -> None:
    """Make Wagtail's BaseChooser render its set-up as inert JSON (called once from PortalConfig.ready)."""
    from wagtail.admin.widgets.chooser import BaseChooser

    def render(self, name, value, attrs=None, renderer=None):
        try:
            id_ = attrs["id"]
        except (KeyError, TypeError) as error:
            raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from error
        value_data = self.get_value_data(value)
        widget_html = self.render_html(name, value_data, attrs)
        js = self.render_js_init(id_, name, value_data)
        return mark_safe(widget_html + (inert_init(js) or f"<script>{js}</script>"))  # noqa: S308 — as Wagtail's

    BaseChooser.render = render
