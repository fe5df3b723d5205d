#!/usr/bin/env python3
"""Save a PNG screenshot of a URL with the system Chromium (via Playwright).

Run it with the project's virtualenv (Playwright for Python lives in .venv):

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8000/ /tmp/home.png --full-page
    .venv/bin/python scripts/screenshot.py URL OUT.png --width 390 --height 844

Uses /usr/bin/chromium from Debian (`scripts/browser.sh ensure` installs it together with
the CJK fonts). It never downloads browsers: do not run `playwright install`.

Exit status: 0 on success; 1 if the page could not be loaded or the screenshot failed;
3 if the screenshot was saved but the main response had an HTTP status >= 400
(use --allow-http-errors to accept such pages).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Save a PNG screenshot of a URL with the system Chromium.")
    parser.add_argument("url", help="page to load, e.g. http://127.0.0.1:8000/")
    parser.add_argument("output", type=Path, help="PNG file to write (parent directories are created)")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in CSS pixels (default 1280)")
    parser.add_argument("--height", type=int, default=800, help="viewport height in CSS pixels (default 800)")
    parser.add_argument("--full-page", action="store_true", help="capture the whole scrollable page")
    parser.add_argument(
        "--wait-until",
        choices=["load", "domcontentloaded", "networkidle", "commit"],
        default="load",
        help="navigation event to wait for (default: load)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="navigation timeout in seconds (default 30)")
    parser.add_argument("--locale", default="zh-CN", help="browser locale / Accept-Language (default zh-CN)")
    parser.add_argument(
        "--allow-http-errors", action="store_true", help="exit 0 even if the page answered with HTTP status >= 400"
    )
    args = parser.parse_args(argv)
    if args.width <= 0 or args.height <= 0:
        parser.error("--width and --height must be positive")
    if args.output.suffix.lower() != ".png":
        parser.error("output must be a .png file")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    if not os.access(CHROMIUM, os.X_OK):
        print(f"screenshot.py: {CHROMIUM} not found; run `bash scripts/browser.sh ensure`", file=sys.stderr)
        return 1
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("screenshot.py: the playwright package is missing; run this with the project's .venv/bin/python", file=sys.stderr)
        return 1

    args.output.parent.mkdir(parents=True, exist_ok=True)
    status = None
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(
                    viewport={"width": args.width, "height": args.height},
                    locale=args.locale,
                    timezone_id="Asia/Shanghai",
                )
                page = context.new_page()
                page.set_default_timeout(args.timeout * 1000)
                response = page.goto(args.url, wait_until=args.wait_until, timeout=args.timeout * 1000)
                status = response.status if response is not None else None
                # Web fonts (and the large CJK system fonts) may still be loading after "load".
                page.evaluate("() => document.fonts ? document.fonts.ready.then(() => true) : true")
                page.screenshot(path=str(args.output), full_page=args.full_page, animations="disabled")
            finally:
                browser.close()
    except PlaywrightError as exc:
        print(f"screenshot.py: {args.url}: {exc}", file=sys.stderr)
        return 1

    print(f"screenshot.py: saved {args.output} ({args.output.stat().st_size} bytes, HTTP {status})", file=sys.stderr)
    if status is not None and status >= 400 and not args.allow_http_errors:
        print(f"screenshot.py: {args.url} answered HTTP {status}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
