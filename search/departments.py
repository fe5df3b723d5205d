"""One office, one name in the 部门 facet.

The sources name an office in their own ways: a policy's issuing department "财政部政府采购管理办公室", a dataset's
publisher "政府采购管理办公室", a letter's replying office "国库司（政府采购管理办公室）（演示）". Documents carry the
name this module gives, so the facet lists the office once with all its documents.
"""

from __future__ import annotations

# The ministry's own prefix: within its site "财政部预算司" and "预算司" are the same office.
MINISTRY_PREFIX = "财政部"
# Markers some sources append that are not part of the name.
MARKERS = ("（演示）", "(演示)")
# Other names an office goes by → the name the facet lists it under.
ALIASES: dict[str, str] = {
    "政府采购管理办公室": "国库司（政府采购管理办公室）",
    "政府采购办": "国库司（政府采购管理办公室）",
    "财政部": "中华人民共和国财政部",
}


def department_name(raw: str) -> str:
    """The facet name of the office `raw` names ("" stays "")."""
    name = raw.strip()
    for marker in MARKERS:
        name = name.removesuffix(marker).strip()
    if name.startswith(MINISTRY_PREFIX) and len(name) > len(MINISTRY_PREFIX):
        name = name.removeprefix(MINISTRY_PREFIX)
    return ALIASES.get(name, name)
