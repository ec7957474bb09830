"""The analyst's report: one self-contained HTML file of the tables, viewable with no network.

Everything is inline: the charts and the map are SVG drawn here in Python (no chart library, nothing loaded
from the internet), the happenings table is rendered by a small inline script from a JSON block, and a
Content-Security-Policy allows only that script (by its hash) and no network at all. Every text from the
tables is escaped: in the SVG and HTML written here by :func:`html.escape`, in the JSON block by escaping
``<``, ``>`` and ``&``, and the script writes data only through ``textContent``.

The happenings come from :func:`pipeline.desk.frames.happenings_frame` (the ``happenings`` table, or one happening per
reported events row until that table exists). Country outlines: Natural Earth 1:110m (public domain), shipped
in ``pipeline/desk/data/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
import math
from collections import Counter
from html import escape
from pathlib import Path

import pandas as pd

from ..config import PIPELINE_VERSION
from ..errors import Errors, PipelineError
from ..schemas import CLAIM_MODALITIES, EVENT_TYPES
from .frames import OUTLINES, desk_tables, happenings_frame, reports_frame

log = logging.getLogger(__name__)

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")
CONTEXT_SENTENCES = 1     # sentences shown before and after the evidence sentence of a report
PAGE_SIZE = 50
TOP = 20
MAP_W, MAP_H = 960, 480


def _e(value) -> str:
    """Escaped text of a value ('' for nulls)."""
    return "" if _na(value) else escape(str(value), quote=True)


def _na(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _iso(value) -> str | None:
    return None if _na(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _int(value) -> int | None:
    return None if _na(value) else int(value)


def _text(value) -> str | None:
    return None if _na(value) else str(value)


# -- charts ---------------------------------------------------------------------

def type_colours(types) -> dict[str, str]:
    order = [t for t in EVENT_TYPES if t in set(types)] + sorted(set(types) - set(EVENT_TYPES))
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(order)}


def bar_chart(counts: dict[str, int], label: str, colours: dict[str, str] | None = None) -> str:
    """A horizontal bar chart in SVG."""
    if not counts:
        return f'<p class="empty">No {escape(label)}.</p>'
    row, left, width = 22, 150, 420
    top = max(counts.values()) or 1
    h = row * len(counts) + 4
    out = [f'<svg class="chart bars" role="img" aria-label="{escape(label)}" viewBox="0 0 {left + width + 60} {h}" '
           f'width="{left + width + 60}" height="{h}">']
    for i, (name, n) in enumerate(counts.items()):
        y = i * row + 2
        w = max(1.0, width * n / top)
        colour = (colours or {}).get(name, PALETTE[0])
        out.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end">{_e(name)}</text>'
                   f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" fill="{colour}">'
                   f'<title>{_e(name)}: {n}</title></rect>'
                   f'<text x="{left + w + 5:.1f}" y="{y + 15}">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def _bucket(dates: pd.Series) -> tuple[pd.Series, str]:
    span = (dates.max().year - dates.min().year) * 12 + dates.max().month - dates.min().month + 1
    if span <= 240:
        return dates.dt.strftime("%Y-%m"), "month"
    return dates.dt.strftime("%Y"), "year"


def _periods(lo: str, hi: str, unit: str) -> list[str]:
    if unit == "year":
        return [str(y) for y in range(int(lo), int(hi) + 1)]
    return [p.strftime("%Y-%m") for p in pd.period_range(lo, hi, freq="M")]


def timeline(haps: pd.DataFrame, colours: dict[str, str]) -> str:
    """Stacked bars of happenings by month (or year, over long spans) and type, in SVG."""
    dated = haps[haps["date"].notna()]
    undated = len(haps) - len(dated)
    note = f'<p class="note">{undated} happening(s) without a date are not shown.</p>' if undated else ""
    if dated.empty:
        return '<p class="empty">No dated happenings.</p>' + note
    keys, unit = _bucket(pd.to_datetime(dated["date"]))
    periods = _periods(keys.min(), keys.max(), unit)
    table = pd.crosstab(keys, dated["event_type"].astype(str)).reindex(periods, fill_value=0)
    types = [t for t in colours if t in table.columns]
    left, bottom, height = 34, 40, 200
    width = max(480, min(1400, 12 * len(periods)))
    bw = width / len(periods)
    top = max(1, int(table.sum(axis=1).max()))
    svg = [f'<svg class="chart timeline" role="img" aria-label="happenings by {unit} and type" '
           f'viewBox="0 0 {left + width + 10} {height + bottom}" width="{left + width + 10}" '
           f'height="{height + bottom}">',
           f'<line x1="{left}" y1="{height}" x2="{left + width}" y2="{height}" stroke="#888"/>',
           f'<text x="{left - 4}" y="10" text-anchor="end">{top}</text>',
           f'<text x="{left - 4}" y="{height}" text-anchor="end">0</text>']
    step = max(1, math.ceil(len(periods) / 12))
    for i, period in enumerate(periods):
        x = left + i * bw
        y = float(height)
        for t in types:
            n = int(table.at[period, t])
            if not n:
                continue
            h = height * n / top
            y -= h
            svg.append(f'<rect x="{x + 0.5:.1f}" y="{y:.1f}" width="{max(1.0, bw - 1):.1f}" height="{h:.1f}" '
                       f'fill="{colours[t]}"><title>{_e(period)} {_e(t)}: {n}</title></rect>')
        if i % step == 0:
            svg.append(f'<text x="{x + bw / 2:.1f}" y="{height + 16}" text-anchor="middle">{_e(period)}</text>')
    svg.append("</svg>")
    return "".join(svg) + legend(types, colours) + note


def legend(types, colours: dict[str, str]) -> str:
    return '<p class="legend">' + " ".join(
        f'<span><i style="background:{colours[t]}"></i>{_e(t)}</span>' for t in types) + "</p>"


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180.0) * MAP_W / 360.0, (90.0 - lat) * MAP_H / 180.0


def _rings(geometry: dict):
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for poly in geometry["coordinates"]:
            yield from poly


def outlines() -> list[dict]:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))["features"]


def world_map(haps: pd.DataFrame, colours: dict[str, str]) -> str:
    """Country outlines with one circle per geocoded happening, sized by reports or by fatalities."""
    geo = haps[pd.to_numeric(haps["latitude"], errors="coerce").notna()
               & pd.to_numeric(haps["longitude"], errors="coerce").notna()]
    codes = set(haps["country_code"].dropna().astype(str)) | set(haps["country"].dropna().astype(str))
    svg_paths = []
    for feat in outlines():
        d = []
        for ring in _rings(feat["geometry"]):
            pts = [_project(x, y) for x, y in ring]
            d.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
        props = feat["properties"]
        hit = props.get("iso_a3") in codes or props.get("name") in codes
        svg_paths.append(f'<path class="country{" hit" if hit else ""}" d="{"".join(d)}">'
                         f'<title>{_e(props.get("name"))}</title></path>')
    if len(geo):
        xs, ys = zip(*(_project(float(lo), float(la)) for lo, la in zip(geo["longitude"], geo["latitude"])))
        pad = 40.0
        x0, x1 = max(0.0, min(xs) - pad), min(MAP_W, max(xs) + pad)
        y0, y1 = max(0.0, min(ys) - pad), min(MAP_H, max(ys) + pad)
        if (x1 - x0) < MAP_W / 4:  # keep at least a region's worth of context
            cx = (x0 + x1) / 2
            x0, x1 = max(0.0, cx - MAP_W / 8), min(MAP_W, cx + MAP_W / 8)
        if (y1 - y0) < (x1 - x0) / 2:
            cy = (y0 + y1) / 2
            half = (x1 - x0) / 4
            y0, y1 = max(0.0, cy - half), min(MAP_H, cy + half)
        view = f"{x0:.1f} {y0:.1f} {x1 - x0:.1f} {y1 - y0:.1f}"
        scale = (x1 - x0) / MAP_W
    else:
        view, scale = f"0 0 {MAP_W} {MAP_H}", 1.0
    dots = []
    top_reports = max([_int(v) or 1 for v in geo["n_reports"]] or [1])
    top_killed = max([_int(v) or 0 for v in geo["killed_min"]] or [0]) or 1
    for h in geo.itertuples(index=False):
        x, y = _project(float(h.longitude), float(h.latitude))
        r_rep = scale * (3 + 12 * math.sqrt((_int(h.n_reports) or 1) / top_reports))
        r_kil = scale * (2 + 14 * math.sqrt((_int(h.killed_min) or 0) / top_killed))
        label = f"{_iso(h.date) or 'undated'} {h.event_type}: {_text(h.location) or _text(h.country) or ''}"
        dots.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r_rep:.2f}" data-r-reports="{r_rep:.2f}" '
                    f'data-r-killed="{r_kil:.2f}" fill="{colours.get(str(h.event_type), PALETTE[0])}" '
                    f'data-id="{_e(h.happening_id)}"><title>{_e(label)} ({_int(h.n_reports) or 1} report(s), '
                    f'{_int(h.killed_min) if _int(h.killed_min) is not None else "no"} killed)</title></circle>')
    missing = len(haps) - len(geo)
    note = (f'<p class="note">{len(geo)} geocoded happening(s) drawn; {missing} without coordinates are not on '
            f'the map.</p>')
    return (f'<svg id="map" class="chart map" role="img" aria-label="map of geocoded happenings" '
            f'viewBox="{view}" width="{MAP_W}" height="{MAP_H}" preserveAspectRatio="xMidYMid meet">'
            f'<rect class="sea" x="0" y="0" width="{MAP_W}" height="{MAP_H}"/>'
            f'<g stroke-width="{0.5 * scale:.3f}">{"".join(svg_paths)}</g><g class="dots">{"".join(dots)}</g></svg>'
            + note)


# -- tables ---------------------------------------------------------------------

def top_actors(haps: pd.DataFrame, n: int = TOP) -> str:
    named = haps[haps["actor_name"].notna()]
    if named.empty:
        return '<p class="empty">No named actors.</p>'
    rows = []
    for actor, group in sorted(named.groupby(named["actor_name"].astype(str)), key=lambda kv: (-len(kv[1]), kv[0]))[:n]:
        types = Counter(group["event_type"].astype(str))
        targets = Counter(group["target_name"].dropna().astype(str))
        rows.append(f"<tr><td>{_e(actor)}</td><td class=num>{len(group)}</td>"
                    f"<td>{_e(', '.join(f'{t} {c}' for t, c in types.most_common()))}</td>"
                    f"<td>{_e('; '.join(f'{t} ({c})' for t, c in targets.most_common(3)))}</td></tr>")
    return ('<table class="plain"><thead><tr><th>actor</th><th>happenings</th><th>event types</th>'
            '<th>most frequent targets</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def claims_by_speaker(claims: pd.DataFrame, n: int = TOP) -> str:
    if claims.empty:
        return '<p class="empty">No claims.</p>'
    speaker = claims["speaker_name"].astype(object).where(claims["speaker_name"].notna(), "(the author)")
    table = pd.crosstab(speaker.astype(str), claims["modality"].astype(str))
    mods = [m for m in CLAIM_MODALITIES if m in table.columns] + sorted(set(table.columns) - set(CLAIM_MODALITIES))
    table = table.reindex(columns=mods, fill_value=0)
    table = table.assign(_total=table.sum(axis=1)).sort_values(["_total"], ascending=False, kind="stable").head(n)
    colours = {m: PALETTE[i] for i, m in enumerate(mods)}
    top = max(1, int(table["_total"].max()))
    rows = []
    for name, r in table.iterrows():
        bar = "".join(f'<i style="width:{120 * r[m] / top:.1f}px;background:{colours[m]}" title="{_e(m)}: {r[m]}"></i>'
                      for m in mods if r[m])
        rows.append(f"<tr><td>{_e(name)}</td>" + "".join(f"<td class=num>{r[m]}</td>" for m in mods)
                    + f'<td class=num>{r["_total"]}</td><td><span class="minibar">{bar}</span></td></tr>')
    return ('<table class="plain"><thead><tr><th>speaker</th>' + "".join(f"<th>{_e(m)}</th>" for m in mods)
            + "<th>all</th><th></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
            + legend(mods, colours))


def disagreements(reports: pd.DataFrame) -> dict[str, str]:
    """happening_id -> what its reports disagree on (killed, injured, date, actor), with the outlets."""
    found = {}
    fields = (("killed", "killed"), ("injured", "injured"), ("date", "date"), ("actor_name", "actor"))
    for hid, group in reports.groupby("happening_id", sort=False):
        if len(group) < 2:
            continue
        parts = []
        for col, label in fields:
            vals = {}
            for v, src in zip(group[col], group["source"].astype(object).where(group["source"].notna(), "?")):
                if not _na(v):
                    vals.setdefault(_iso(v) if col == "date" else str(v), []).append(str(src))
            if len(vals) > 1:
                parts.append(f"{label}: " + " vs ".join(f"{v} ({', '.join(dict.fromkeys(s))})"
                                                        for v, s in vals.items()))
        if parts:
            found[hid] = "; ".join(parts)
    return found


# -- the data block for the script ----------------------------------------------

def report_data(tables: dict[str, pd.DataFrame], haps: pd.DataFrame, reports: pd.DataFrame,
                disagree: dict[str, str], full_articles: bool) -> dict:
    """The JSON the page's script renders: happenings, their reports, excerpts or articles."""
    docs = tables["documents"].set_index("doc_id")
    sents = tables["sentences"]
    bounds = {d: (g["start_char"].astype(int).tolist(), g["end_char"].astype(int).tolist())
              for d, g in sents.sort_values(["doc_id", "sent_idx"]).groupby("doc_id")}
    doc_index: dict[str, int] = {}
    doc_rows: list[list] = []
    texts: dict[str, int] = {}
    text_list: list[str] = []

    def doc_ref(doc_id: str) -> int:
        if doc_id not in doc_index:
            d = docs.loc[doc_id] if doc_id in docs.index else None
            url = _text(d["url"]) if d is not None else None
            if url and not url.lower().startswith(("http://", "https://")):
                url = None
            doc_index[doc_id] = len(doc_rows)
            doc_rows.append([_text(d["title"]) if d is not None else None,
                             _text(d["source"]) if d is not None else None,
                             _iso(d["published"]) if d is not None else None, url, doc_id])
        return doc_index[doc_id]

    def text_ref(key: str, text: str) -> int:
        if key not in texts:
            texts[key] = len(text_list)
            text_list.append(text)
        return texts[key]

    by_hap: dict[str, list[int]] = {}
    rep_rows = []
    for r in reports.itertuples(index=False):
        doc_text = docs.at[r.doc_id, "text"] if r.doc_id in docs.index else ""
        doc_text = "" if _na(doc_text) else str(doc_text)
        s0, s1 = int(r.start_char), int(r.end_char)
        if full_articles:
            refs, lo, more = [text_ref(r.doc_id, doc_text)], 0, False
        else:  # the sentences around the evidence, each stored once (with the space that follows it)
            starts, ends = bounds.get(r.doc_id, ([0], [len(doc_text)]))
            i = int(r.sent_idx) if not _na(r.sent_idx) and int(r.sent_idx) < len(starts) else 0
            a, b = max(0, i - CONTEXT_SENTENCES), min(len(starts) - 1, i + CONTEXT_SENTENCES)
            nxt = starts[1:] + [len(doc_text)]
            refs = [text_ref(f"{r.doc_id}:{j}", doc_text[starts[j]:nxt[j]]) for j in range(a, b + 1)]
            lo, more = starts[a], b < len(starts) - 1
        by_hap.setdefault(r.happening_id, []).append(len(rep_rows))
        rep_rows.append([doc_ref(r.doc_id), refs, s0 - lo, s1 - lo, _text(r.trigger), _int(r.killed),
                         _text(r.modality), lo > 0, more])
    hap_rows = []
    for h in haps.itertuples(index=False):
        hid = str(h.happening_id)
        hap_rows.append([hid, _iso(h.date), _text(h.date_precision), _text(h.event_type), _text(h.actor_name),
                         _text(h.target_name), _text(h.location), _text(h.country) or _text(h.country_code),
                         _int(h.killed_min), _int(h.killed_max), _int(h.n_reports) or len(by_hap.get(hid, [])),
                         _text(h.sources), _text(h.disagreements) or disagree.get(hid), by_hap.get(hid, [])])
    return {"haps": hap_rows, "reports": rep_rows, "docs": doc_rows, "texts": text_list, "page": PAGE_SIZE,
            "full": full_articles}


def _json_block(data: dict) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' can end or open a tag."""
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


# -- the page ---------------------------------------------------------------------

SCRIPT = r"""
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var COLS = [["date", 1], ["type", 3], ["actor", 4], ["target", 5], ["location", 6], ["country", 7],
              ["killed", 8], ["reports", 10], ["sources", 11]];
  var state = {q: "", sort: 1, dir: -1, page: 0, open: {}};   // newest first, undated last
  var rows = D.haps, shown = rows;
  var body = document.getElementById("hap-body"), info = document.getElementById("hap-info");
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function hay(h) {
    if (h._s === undefined) {
      var parts = [h[0], h[1], h[3], h[4], h[5], h[6], h[7], h[11], h[12]];
      h[13].forEach(function (i) { var d = D.docs[D.reports[i][0]]; parts.push(d[0], d[1]); });
      h._s = parts.filter(function (x) { return x !== null; }).join(" \u0001 ").toLowerCase();
    }
    return h._s;
  }
  function cmp(a, b) {
    var x = a[state.sort], y = b[state.sort];
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : x > y ? 1 : 0) * state.dir;
  }
  function apply() {
    var q = state.q.toLowerCase().trim();
    shown = q ? rows.filter(function (h) { return hay(h).indexOf(q) >= 0; }) : rows.slice();
    shown.sort(cmp);
    state.page = Math.min(state.page, Math.max(0, Math.ceil(shown.length / D.page) - 1));
    render();
  }
  function reportsOf(h) {
    var box = el("div", null, "reports");
    if (h[12]) box.appendChild(el("p", "Sources disagree: " + h[12], "disagree"));
    h[13].forEach(function (i) {
      var r = D.reports[i], d = D.docs[r[0]];
      var text = r[1].map(function (j) { return D.texts[j]; }).join("").replace(/\s+$/, "");
      var art = el("article", null, "report");
      var head = el("p", null, "meta");
      head.appendChild(el("strong", d[0] || "(untitled)"));
      head.appendChild(el("span", " \u2014 " + (d[1] || "outlet unknown") + ", " + (d[2] || "date unknown")));
      if (d[3]) {
        var a = el("a", "link"); a.href = d[3]; a.rel = "noopener noreferrer"; a.target = "_blank";
        head.appendChild(document.createTextNode(" ")); head.appendChild(a);
      }
      head.appendChild(el("span", " (trigger \u201c" + (r[4] || "") + "\u201d, " + (r[6] || "") +
        (r[5] !== null ? ", " + r[5] + " killed" : "") + ")", "small"));
      art.appendChild(head);
      var p = el("p", null, "excerpt");
      if (r[7]) p.appendChild(document.createTextNode("\u2026 "));
      p.appendChild(document.createTextNode(text.slice(0, r[2])));
      p.appendChild(el("mark", text.slice(r[2], r[3])));
      p.appendChild(document.createTextNode(text.slice(r[3])));
      if (r[8]) p.appendChild(document.createTextNode(" \u2026"));
      art.appendChild(p);
      box.appendChild(art);
    });
    return box;
  }
  function render() {
    body.textContent = "";
    var start = state.page * D.page, page = shown.slice(start, start + D.page);
    page.forEach(function (h) {
      var tr = el("tr", null, "hap");
      tr.dataset.id = h[0];
      COLS.forEach(function (c) {
        var v = h[c[1]];
        if (c[0] === "date" && v && h[2] && h[2] !== "day") v = v.slice(0, h[2] === "month" ? 7 : 4);
        if (c[0] === "killed" && v !== null && h[9] !== null && h[9] !== v) v = v + "\u2013" + h[9];
        tr.appendChild(el("td", v === null ? "" : v, c[0] === "killed" || c[0] === "reports" ? "num" : ""));
      });
      tr.addEventListener("click", function () { state.open[h[0]] = !state.open[h[0]]; render(); });
      body.appendChild(tr);
      if (state.open[h[0]]) {
        var dr = el("tr", null, "detail"), td = el("td");
        td.colSpan = COLS.length; td.appendChild(reportsOf(h)); dr.appendChild(td); body.appendChild(dr);
      }
    });
    var pages = Math.max(1, Math.ceil(shown.length / D.page));
    info.textContent = shown.length + " of " + rows.length + " happenings \u00b7 page " + (state.page + 1) +
      " of " + pages;
    document.getElementById("prev").disabled = state.page === 0;
    document.getElementById("next").disabled = state.page >= pages - 1;
  }
  document.querySelectorAll("#hap-table th").forEach(function (th, i) {
    th.addEventListener("click", function () {
      var idx = COLS[i][1];
      state.dir = state.sort === idx ? -state.dir : 1; state.sort = idx;
      document.querySelectorAll("#hap-table th").forEach(function (o) { o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      apply();
    });
  });
  var timer = null;
  document.getElementById("search").addEventListener("input", function (ev) {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = ev.target.value; state.page = 0; apply(); }, 120);
  });
  document.getElementById("prev").addEventListener("click", function () { state.page--; render(); });
  document.getElementById("next").addEventListener("click", function () { state.page++; render(); });
  var size = document.getElementById("map-size");
  if (size) size.addEventListener("change", function () {
    document.querySelectorAll("#map circle").forEach(function (c) {
      c.setAttribute("r", c.getAttribute(size.value === "killed" ? "data-r-killed" : "data-r-reports"));
    });
  });
  document.querySelectorAll("#map circle").forEach(function (c) {
    c.addEventListener("click", function () {
      var s = document.getElementById("search"); s.value = c.getAttribute("data-id");
      state.q = s.value; state.page = 0; apply();
      document.getElementById("happenings").scrollIntoView();
    });
  });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 40px;color:#222}
h1{font-size:22px;margin:18px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
.sub,.note,.small{color:#666;font-size:12px}.empty{color:#888;font-style:italic}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:22px}.grid{display:flex;flex-wrap:wrap;gap:30px}
svg.chart text{font-size:11px;fill:#333}svg.map{max-width:100%;height:auto;background:#fff}
.sea{fill:#eef4f8}.country{fill:#e4e4e4;stroke:#999}.country.hit{fill:#f5e6c8}.dots circle{fill-opacity:.7;
stroke:#333;stroke-width:.3;cursor:pointer}
.legend span{margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
#hap-body td:first-child{white-space:nowrap}.num{text-align:right}th{background:#f6f6f6}#hap-table th{cursor:pointer;user-select:none}
#hap-table th[aria-sort=ascending]::after{content:" \\25B2"}#hap-table th[aria-sort=descending]::after{content:" \\25BC"}
tr.hap{cursor:pointer}tr.hap:hover{background:#f3f7ff}.minibar i{display:inline-block;height:10px}
.report{border-left:3px solid #ccc;padding:2px 10px;margin:6px 0}.excerpt{white-space:pre-wrap;margin:4px 0}
mark{background:#ffe58a}.disagree{color:#a33;font-weight:600}.controls{margin:8px 0}
#search{width:320px;padding:4px}
"""


def build_report(tables: dict[str, pd.DataFrame], full_articles: bool = False, title: str = "News desk report",
                 generated: dt.datetime | None = None) -> str:
    """The HTML of the report (a string)."""
    haps = happenings_frame(tables)
    reports = reports_frame(tables)
    events, claims, docs = tables["events"], tables["claims"], tables["documents"]
    rejects = tables.get("rejects", pd.DataFrame())
    colours = type_colours(list(haps["event_type"].dropna().astype(str))
                           + list(events["event_type"].dropna().astype(str)))
    disagree = disagreements(reports)
    data = report_data(tables, haps, reports, disagree, full_articles)
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{script_hash}'; style-src 'unsafe-inline'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    ev_counts = {t: int(n) for t, n in events["event_type"].astype(str).value_counts().items()}
    ev_counts = dict(sorted(ev_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    cl_counts = {m: int(n) for m, n in claims["modality"].astype(str).value_counts().items()}
    cl_counts = {m: cl_counts[m] for m in [*CLAIM_MODALITIES, *sorted(set(cl_counts) - set(CLAIM_MODALITIES))]
                 if m in cl_counts}
    mod_colours = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(cl_counts)}
    cards = [("articles", len(docs)), ("happenings", len(haps)), ("events rows", len(events)),
             ("claims", len(claims)), ("rejected inputs", len(rejects))]
    with_dis = [(h, disagree.get(str(h.happening_id)) or _text(h.disagreements)) for h in haps.itertuples(index=False)]
    with_dis = [(h, d) for h, d in with_dis if d]
    if with_dis:
        dis_html = ('<table class="plain"><thead><tr><th>date</th><th>type</th><th>actor</th><th>disagreement'
                    '</th></tr></thead><tbody>' + "".join(
                        f"<tr><td>{_e(_iso(h.date))}</td><td>{_e(h.event_type)}</td><td>{_e(h.actor_name)}</td>"
                        f"<td>{_e(d)}</td></tr>" for h, d in with_dis[:200]) + "</tbody></table>")
    else:
        dis_html = ('<p class="empty">No disagreements between sources: no happening has reports that give '
                    'different figures, dates or actors' + (" (each happening is one report until happenings are "
                    "clustered across articles)." if "happenings" not in tables else ".") + "</p>")
    generated = generated or dt.datetime.now(dt.timezone.utc)
    fallback = "happenings" not in tables
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="sub">Generated {generated.strftime("%Y-%m-%d %H:%M UTC")} by newsclaims {PIPELINE_VERSION}. '
        + ("Happenings: one per reported events row (asserted or hedged), until the happenings table exists."
           if fallback else "Happenings: from the happenings table.") + "</p>",
        '<section id="counts"><h2>At a glance</h2><div class="cards">'
        + "".join(f'<div class="card"><b>{n:,}</b>{_e(label)}</div>' for label, n in cards) + "</div>",
        '<div class="grid"><div><h3>Events rows by type (any modality)</h3>'
        + bar_chart(ev_counts, "events by type", colours)
        + '</div><div><h3>Claims by modality</h3>' + bar_chart(cl_counts, "claims by modality", mod_colours)
        + "</div></div></section>",
        '<section id="timeline"><h2>Timeline of happenings by type</h2>' + timeline(haps, colours) + "</section>",
        '<section id="map-section"><h2>Map</h2><p class="controls">Circle size: <select id="map-size">'
        '<option value="reports">reports</option><option value="killed">fatalities (lowest figure)</option>'
        "</select> (click a circle to find it in the table)</p>" + world_map(haps, colours)
        + '<p class="note">Country outlines: Natural Earth 1:110m, public domain.</p></section>',
        '<section id="actors"><h2>Top actors</h2>' + top_actors(haps) + "</section>",
        '<section id="speakers"><h2>Claims by speaker and modality</h2>' + claims_by_speaker(claims) + "</section>",
        '<section id="happenings"><h2>Happenings</h2><p class="controls"><input id="search" type="search" '
        'placeholder="search type, actor, place, outlet, title..." aria-label="search happenings"> '
        '<button id="prev" type="button">previous</button> <button id="next" type="button">next</button> '
        '<span id="hap-info"></span></p><p class="note">Click a column to sort, a row to open its reports.</p>'
        '<table id="hap-table"><thead><tr>'
        + '<th aria-sort="descending">date</th>'
        + "".join(f"<th>{c}</th>" for c in ("type", "actor", "target", "location", "country", "killed", "reports",
                                              "sources"))
        + '</tr></thead><tbody id="hap-body"></tbody></table></section>',
        '<section id="disagreements"><h2>Disagreements between sources</h2>' + dis_html + "</section>",
        f'<script type="application/json" id="report-data">{_json_block(data)}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(out: str | Path, html_path: str | Path, full_articles: bool = False) -> Path:
    """Write the report of the tables in ``out`` to ``html_path``."""
    tables = desk_tables(out)
    page = build_report(tables, full_articles=full_articles, title=f"News desk report: {Path(out).name}")
    html_path = Path(html_path)
    try:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = html_path.with_name(html_path.name + ".tmp")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(html_path)
    except OSError as e:
        raise PipelineError(Errors.E604.format(path=html_path, reason=e.strerror or str(e))) from None
    log.debug("wrote %s (%d bytes)", html_path, html_path.stat().st_size)
    return html_path
