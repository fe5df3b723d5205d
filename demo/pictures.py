"""Plausible news photos and banners drawn with Pillow (no downloads), the same for the same seed: a city skyline
under a sky gradient, a meeting room, or a bar-chart poster. Pure functions returning JPEG bytes."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SKIES = (  # (top, horizon) colours: morning, noon, dusk
    ((92, 148, 214), (206, 226, 244)),
    ((54, 110, 190), (178, 210, 238)),
    ((66, 84, 140), (242, 178, 128)),
)


def _gradient(size: tuple[int, int], top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(height - 1, 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return column.resize(size)


def skyline(*, seed: str, size: tuple[int, int] = (1200, 675)) -> bytes:
    """Office towers against the sky, nearer rows darker, lit windows."""
    rng = random.Random(seed)
    width, height = size
    top, bottom = rng.choice(SKIES)
    picture = _gradient(size, top, bottom)
    draw = ImageDraw.Draw(picture)
    for row, (shade, base) in enumerate(((150, 0.62), (105, 0.72), (62, 0.84))):
        x = -rng.randint(0, 60)
        ground = int(height * base)
        while x < width:
            w = rng.randint(width // 18, width // 8)
            h = rng.randint(height // 6, int(height * (0.55 - row * 0.1)))
            tone = shade + rng.randint(-12, 12)
            colour = (tone, tone + 6, tone + 18)
            draw.rectangle((x, ground - h, x + w, height), fill=colour)
            if rng.random() < 0.3:  # a spire or a stepped top
                draw.rectangle((x + w // 3, ground - h - h // 8, x + 2 * w // 3, ground - h), fill=colour)
            if row == 2:
                for wy in range(ground - h + 10, height - 10, 16):
                    for wx in range(x + 6, x + w - 8, 12):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 5, wy + 8), fill=(236, 214, 150))
            x += w + rng.randint(2, 18)
    draw.rectangle((0, int(height * 0.93), width, height), fill=(70, 74, 80))  # the street
    return _jpeg(picture.filter(ImageFilter.GaussianBlur(0.6)))


def meeting_room(*, seed: str, size: tuple[int, int] = (1200, 675)) -> bytes:
    """A conference table seen from the end of the room, chairs either side, a red banner and a screen."""
    rng = random.Random(seed)
    width, height = size
    wall = rng.choice(((226, 218, 204), (214, 220, 226), (232, 226, 214)))
    picture = _gradient(size, wall, tuple(c - 40 for c in wall))
    draw = ImageDraw.Draw(picture)
    floor_y = int(height * 0.55)
    draw.rectangle((0, floor_y, width, height), fill=(128, 96, 72))
    draw.rectangle((width * 0.2, height * 0.08, width * 0.8, height * 0.16), fill=(176, 28, 32))  # the banner
    draw.rectangle((width * 0.33, height * 0.2, width * 0.67, height * 0.46), fill=(40, 60, 96))  # the screen
    for bar in range(rng.randint(3, 6)):  # a chart on the screen
        bx = width * 0.36 + bar * width * 0.05
        draw.rectangle((bx, height * (0.43 - rng.uniform(0.05, 0.18)), bx + width * 0.03, height * 0.43),
                       fill=(236, 188, 80))
    table = [(width * 0.42, floor_y), (width * 0.58, floor_y), (width * 0.86, height), (width * 0.14, height)]
    draw.polygon(table, fill=(92, 58, 36))
    for i in range(6):  # chairs and people, growing with nearness
        t = i / 5
        y = floor_y + t * (height - floor_y) * 0.85
        scale = 0.5 + t * 1.2
        for side in (-1, 1):
            x = width / 2 + side * (width * 0.1 + t * width * 0.3)
            r = 22 * scale
            suit = rng.choice(((30, 34, 44), (44, 48, 60), (60, 62, 70)))
            draw.rectangle((x - r * 1.2, y - r * 2.4, x + r * 1.2, y + r), fill=suit)
            draw.ellipse((x - r * 0.7, y - r * 3.8, x + r * 0.7, y - r * 2.4), fill=(224, 188, 160))
            draw.ellipse((x - r * 0.72, y - r * 3.9, x + r * 0.72, y - r * 3.2), fill=(28, 24, 24))
    return _jpeg(picture.filter(ImageFilter.GaussianBlur(0.8)))


def bar_poster(*, seed: str, size: tuple[int, int] = (1200, 675)) -> bytes:
    """An infographic-style poster: a deep-blue ground, a rising bar chart and a trend line."""
    rng = random.Random(seed)
    width, height = size
    picture = _gradient(size, (16, 52, 110), (28, 96, 168))
    draw = ImageDraw.Draw(picture)
    bars = rng.randint(5, 9)
    values = sorted(rng.uniform(0.25, 0.9) for _ in range(bars))
    gap = width * 0.7 / bars
    base = height * 0.86
    points = []
    for i, value in enumerate(values):
        x = width * 0.15 + i * gap
        top = base - value * height * 0.65
        draw.rectangle((x, top, x + gap * 0.6, base), fill=(244, 190, 64) if i == bars - 1 else (120, 180, 236))
        points.append((x + gap * 0.3, top - 20))
    draw.line(points, fill=(255, 255, 255), width=4)
    for point in points:
        draw.ellipse((point[0] - 7, point[1] - 7, point[0] + 7, point[1] + 7), fill=(255, 255, 255))
    draw.line((width * 0.12, base, width * 0.9, base), fill=(220, 230, 240), width=3)
    return _jpeg(picture)


KINDS = {"skyline": skyline, "meeting": meeting_room, "chart": bar_poster}


def news_photo(*, seed: str) -> bytes:
    """One of the kinds, chosen by the seed."""
    kind = random.Random(seed + ":kind").choice(tuple(KINDS))
    return KINDS[kind](seed=seed)


def _jpeg(picture: Image.Image) -> bytes:
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=86, optimize=True)
    return out.getvalue()


def explainer_chart(*, title: str, figures: list[tuple[str, float]], points: list[str], font_path: str,
                    font_index: int = 0, size: tuple[int, int] = (1200, 900)) -> bytes:
    """A 图解: the title, a bar chart of the figures the text gives (label, value) with their numbers, and the
    main points as numbered boxes; Chinese labels in the CJK font at `font_path`."""
    from PIL import ImageFont

    def font(px: int):
        return ImageFont.truetype(font_path, px, index=font_index)

    width, height = size
    panel_top, panel_bottom = 130, (500 if figures else 110)  # no figures in the text: the points alone
    height = min(height, panel_bottom + 30 + 92 * len(points[:4]) + 30)
    size = (width, height)
    picture = _gradient(size, (178, 24, 30), (120, 12, 18))
    draw = ImageDraw.Draw(picture)
    title_px = min(44, int((width - 80) / max(len(title), 1)))
    draw.text((width / 2, 70), title, font=font(title_px), fill=(255, 240, 200), anchor="mm")
    if figures:
        draw.rounded_rectangle((60, panel_top, width - 60, panel_bottom), radius=18, fill=(255, 248, 236))
        top_value = max(value for _, value in figures) or 1
        slot = (width - 200) / len(figures)
        base = panel_bottom - 60
        for i, (label, value) in enumerate(figures):
            x = 100 + i * slot + slot * 0.25
            bar_top = base - (value / top_value) * (base - panel_top - 80)
            draw.rectangle((x, bar_top, x + slot * 0.5, base), fill=(200, 40, 40))
            number = f"{value:g}"
            draw.text((x + slot * 0.25, bar_top - 26), number, font=font(34), fill=(150, 20, 20), anchor="mm")
            draw.text((x + slot * 0.25, base + 30), label, font=font(26), fill=(60, 40, 30), anchor="mm")
        draw.line((90, base, width - 90, base), fill=(120, 90, 70), width=3)
    y = panel_bottom + 30
    for number, point in enumerate(points[:4], start=1):
        draw.rounded_rectangle((60, y, width - 60, y + 76), radius=14, fill=(255, 236, 200))
        draw.ellipse((80, y + 12, 132, y + 64), fill=(200, 40, 40))
        draw.text((106, y + 38), str(number), font=font(30), fill=(255, 255, 255), anchor="mm")
        text = point if len(point) <= 26 else point[:25] + "…"
        draw.text((156, y + 38), text, font=font(30), fill=(80, 30, 20), anchor="lm")
        y += 92
    return _jpeg(picture)
