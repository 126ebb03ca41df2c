"""Draw a cluster's case–identifier graph as inline SVG (no CDN, no JavaScript): police networks
are air-gapped, so the campaign package must render from the file alone. The layout is igraph's
Fruchterman–Reingold with a fixed seed, so the same cluster always draws the same way."""

from __future__ import annotations

import random
from html import escape

ROLE_COLOUR = {
    "case": "#4a6fa5",
    "collector": "#c0392b",
    "den": "#8e44ad",
    "platform": "#d35400",
    "cash_out": "#16a085",
    "other": "#7f8c8d",
}


def cluster_svg(
    cases: list[dict],
    links: list[dict],
    key_roles: dict[str, str],
    label_of: dict[str, str],
    width: int = 900,
    height: int = 640,
    max_nodes: int = 400,
) -> str:
    """``cases``: dicts with id, division_code; ``links``: case_a, case_b, key, kind;
    ``key_roles``: node key → key-node role; ``label_of``: node key → display text."""
    import igraph as ig

    case_ids = [c["id"] for c in cases]
    known = set(case_ids)
    node_keys: list[str] = []
    seen: set[str] = set()
    edges: set[tuple[str, str]] = set()
    for link in links:
        k = link["key"]
        for case in (link["case_a"], link["case_b"]):
            if case in known:
                edges.add((case, k))
        if k not in seen:
            seen.add(k)
            node_keys.append(k)
    # keep key nodes first, then the most connected shared nodes, within the budget
    deg: dict[str, int] = {}
    for _, k in edges:
        deg[k] = deg.get(k, 0) + 1
    node_keys.sort(key=lambda k: (k not in key_roles, -deg.get(k, 0), k))
    budget = max(0, max_nodes - len(case_ids))
    node_keys = [k for k in node_keys if deg.get(k, 0) > 0][:budget]
    names = case_ids + node_keys
    index = {n: i for i, n in enumerate(names)}
    el = sorted({(index[a], index[b]) for a, b in edges if a in index and b in index})
    g = ig.Graph(n=len(names), edges=el)
    state = random.getstate()
    random.seed(42)
    try:
        ig.set_random_number_generator(random)
        layout = g.layout_fruchterman_reingold(niter=500) if len(names) > 1 else [(0.0, 0.0)]
    finally:
        random.setstate(state)
    coords = [tuple(p) for p in layout]
    xs = [p[0] for p in coords] or [0.0]
    ys = [p[1] for p in coords] or [0.0]
    pad = 30
    sx = (width - 2 * pad) / ((max(xs) - min(xs)) or 1.0)
    sy = (height - 2 * pad) / ((max(ys) - min(ys)) or 1.0)

    def pos(i: int) -> tuple[float, float]:
        x, y = coords[i]
        return pad + (x - min(xs)) * sx, pad + (y - min(ys)) * sy

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="案件关联图">',
        f'<rect width="{width}" height="{height}" fill="#fbfbfb" stroke="#ddd"/>',
        '<g stroke="#b0b7c3" stroke-width="0.8">',
    ]
    for a, b in el:
        (x1, y1), (x2, y2) = pos(a), pos(b)
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    parts.append("</g>")
    for i, name in enumerate(names):
        x, y = pos(i)
        if i < len(case_ids):
            div = next((c.get("division_code") or "" for c in cases if c["id"] == name), "")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{ROLE_COLOUR["case"]}">'
                f"<title>案件 {escape(name)} {escape(div)}</title></circle>"
            )
            continue
        role = key_roles.get(name, "other")
        colour = ROLE_COLOUR.get(role, ROLE_COLOUR["other"])
        label = escape(label_of.get(name, name[:8]))
        size = 11 if role != "other" else 7
        parts.append(
            f'<rect x="{x - size / 2:.1f}" y="{y - size / 2:.1f}" width="{size}" height="{size}" '
            f'fill="{colour}"><title>{label}</title></rect>'
        )
        if role != "other":
            parts.append(
                f'<text x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="11" fill="#333">{label}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)
