"""JSON request bodies with a bounded size and nesting depth, read before any parser recurses into them.

Python's json module recurses once per nesting level: a 1,000-deep body raises RecursionError (a 500) instead of a
ValueError. The depth is therefore counted first, by one linear pass over the bytes that skips string contents.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 32


class JsonBodyError(ValueError):
    """A body that is too large, too deeply nested or not JSON; the message is fit to show the client."""


def json_depth(raw: bytes) -> int:
    """The deepest nesting of [ and { in `raw`, not counting brackets inside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # closing quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


def json_body(raw: bytes, *, max_bytes: int = MAX_JSON_BYTES, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The decoded body, or JsonBodyError naming the limit it broke."""
    if len(raw) > max_bytes:
        raise JsonBodyError(f"请求体过大：JSON 不能超过 {max_bytes // 1024} KB。")
    if json_depth(raw) > max_depth:
        raise JsonBodyError(f"JSON 嵌套过深：不能超过 {max_depth} 层。")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise JsonBodyError(f"不是有效的 JSON：{error}") from None
