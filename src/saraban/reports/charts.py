"""Charts drawn on the server as SVG: no JavaScript chart library, nothing fetched from a CDN.

The SVG is plain markup placed in the page (or in a printed report); its text uses the page's font (Sarabun,
served from our static files) and every label is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f5fa8", "#e07b00", "#2e8b57", "#b22222", "#6a4c93")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[int]
    color: str = ""


def _nice_max(top: int) -> int:
    if top <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top <= step * 5:
            return -(-top // step) * step
    return top


def _legend(series: Sequence[Series], x: int, y: int) -> list[str]:
    out = []
    for i, s in enumerate(series):
        color = s.color or PALETTE[i % len(PALETTE)]
        out.append(f'<rect x="{x + i * 150}" y="{y - 10}" width="12" height="12" fill="{color}"/>'
                   f'<text x="{x + i * 150 + 18}" y="{y}" font-size="13">{escape(s.label)}</text>')
    return out


def bar_chart(categories: Sequence[str], series: Sequence[Series], *, title: str, width: int = 760,
              height: int = 300) -> str:
    """Grouped vertical bars: one group per category (e.g. month), one bar per series (e.g. in / out)."""
    left, right, top, bottom = 44, 12, 40, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = _nice_max(max([0, *(v for s in series for v in s.values)]))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" class="chart" font-family="Sarabun, sans-serif" aria-label="{escape(title)}">',
             f'<text x="{left}" y="18" font-size="15" font-weight="700">{escape(title)}</text>',
             *_legend(series, max(left + 300, width - right - 150 * len(series)), 18)]  # clear of the title
    for k in range(6):
        v = vmax * k // 5
        y = top + plot_h - plot_h * k / 5
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{v}</text>')
    group = plot_w / max(1, len(categories))
    bar = group * 0.8 / max(1, len(series))
    for c, cat in enumerate(categories):
        gx = left + c * group + group * 0.1
        for i, s in enumerate(series):
            value = s.values[c] if c < len(s.values) else 0
            h = plot_h * value / vmax if vmax else 0
            color = s.color or PALETTE[i % len(PALETTE)]
            parts.append(f'<rect x="{gx + i * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 1:.1f}" '
                         f'height="{h:.1f}" fill="{color}"><title>{escape(cat)} {escape(s.label)}: {value}</title>'
                         '</rect>')
            if value:
                parts.append(f'<text x="{gx + i * bar + bar / 2:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="10" '
                             f'text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{gx + group * 0.4:.1f}" y="{height - bottom + 16}" font-size="12" '
                     f'text-anchor="middle">{escape(cat)}</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(rows: Sequence[tuple[str, int]], *, title: str, width: int = 560, color: str = "#b22222",
               empty: str = "ไม่มีรายการ") -> str:
    """Horizontal bars, one per labelled row (e.g. overdue work per unit), longest first as given."""
    label_w, row_h, top = 230, 26, 34
    height = top + row_h * max(1, len(rows)) + 10
    vmax = max([1, *(v for _, v in rows)])
    plot_w = width - label_w - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width: {width * 1.4:.0f}px" class="chart" font-family="Sarabun, sans-serif" '
             f'aria-label="{escape(title)}">',
             f'<text x="4" y="18" font-size="15" font-weight="700">{escape(title)}</text>']
    if not rows:
        parts.append(f'<text x="4" y="{top + 16}" font-size="13" fill="#666">{escape(empty)}</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = plot_w * value / vmax
        parts.append(f'<text x="{label_w - 8}" y="{y + 16}" font-size="12" text-anchor="end">'
                     f'{escape(label[:40])}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" fill="{color}">'
                     f'<title>{escape(label)}: {value}</title></rect>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
