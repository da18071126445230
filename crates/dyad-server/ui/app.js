// dyad web UI. Everything comes from this server's /api; the libraries are
// vendored. Article text and every other string from the store is
// untrusted: the DOM is built with createElement/textContent only.
(function () {
  "use strict";

  const $ = (sel) => document.querySelector(sel);
  const SVG = "http://www.w3.org/2000/svg";
  const form = $("#filters");
  const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"];
  let worldFeatures = null;
  // The world outline does not depend on the data: fetch it while the
  // first API answers are computed.
  const worldJson = fetch("/ui/vendor/countries-110m.json").then((r) => r.json());
  let plot = null;
  let cy = null;
  let seq = 0;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function filters() {
    const f = {};
    for (const [k, v] of new FormData(form).entries()) {
      if (String(v).trim() !== "") f[k] = String(v).trim();
    }
    return f;
  }

  async function api(path, params) {
    const u = new URL(path, location.origin);
    if (params) for (const k in params) u.searchParams.set(k, params[k]);
    const r = await fetch(u, { headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error(path + ": HTTP " + r.status);
    return r.json();
  }

  // ---- timeline ---------------------------------------------------------
  // One series of counts per day for each of the eight commonest types.
  function fetchTimeline(f, types) {
    const top = types.slice(0, 8).map((t) => t.key);
    return Promise.all(top.map((t) => api("/api/counts", Object.assign({}, f, { by: "day", type: t }))))
      .then((series) => ({ top, series }));
  }

  function renderTimeline({ top, series }) {
    const days = new Set();
    series.forEach((s) => s.items.forEach((i) => days.add(i.key)));
    const xs = Array.from(days).sort();
    const data = [xs.map((d) => Date.parse(d + "T00:00:00Z") / 1000)];
    let total = 0;
    series.forEach((s) => {
      const m = new Map(s.items.map((i) => [i.key, i.count]));
      data.push(xs.map((d) => m.get(d) || 0));
      s.items.forEach((i) => (total += i.count));
    });
    const box = $("#timeline");
    box.dataset.total = String(total);
    box.dataset.days = String(xs.length);
    box.dataset.series = String(top.length);
    if (plot) { plot.destroy(); plot = null; }
    box.replaceChildren();
    if (xs.length === 0) { box.append(el("p", { class: "muted" }, "No dated events match.")); return; }
    const opts = {
      width: Math.max(300, box.clientWidth || 500),
      height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(top.map((t, i) => ({
        label: t, stroke: COLORS[i % COLORS.length], width: 2,
        points: { show: true, size: 5 },
      }))),
      axes: [{}, { label: "events" }],
    };
    plot = new uPlot(opts, data, box);
  }

  // ---- map --------------------------------------------------------------
  async function loadWorld() {
    if (worldFeatures) return worldFeatures;
    const topo = await worldJson;
    worldFeatures = topojson.feature(topo, topo.objects.countries).features;
    return worldFeatures;
  }

  async function renderMap(countryCounts, places) {
    const svg = $("#map");
    const w = svg.clientWidth || 600, h = svg.clientHeight || 300;
    svg.setAttribute("viewBox", "0 0 " + w + " " + h);
    svg.replaceChildren();
    const world = await loadWorld();
    const proj = d3.geoNaturalEarth1().fitSize([w, h], { type: "Sphere" });
    const path = d3.geoPath(proj);
    const sphere = document.createElementNS(SVG, "path");
    sphere.setAttribute("d", path({ type: "Sphere" }));
    sphere.setAttribute("class", "sphere");
    svg.append(sphere);
    const counts = new Map(countryCounts.map((c) => [c.key, c.count]));
    const max = Math.max(1, ...counts.values());
    let shaded = 0;
    for (const f of world) {
      const a3 = (window.ISO_NUM_TO_A3 || {})[f.id] || "";
      const p = document.createElementNS(SVG, "path");
      p.setAttribute("d", path(f) || "");
      p.setAttribute("class", "country");
      p.dataset.a3 = a3;
      const n = counts.get(a3) || 0;
      const t = document.createElementNS(SVG, "title");
      t.textContent = ((window.ISO_A3_NAME || {})[a3] || (f.properties && f.properties.name) || a3) + (n ? ": " + n + " events" : "");
      p.append(t);
      if (n) {
        shaded++;
        p.classList.add("has-events");
        // Sequential orange scale, log-ish so one busy country does not wash out the rest.
        const k = Math.sqrt(n / max);
        p.style.fill = "rgb(" + Math.round(255 - 10 * k) + "," + Math.round(224 - 120 * k) + "," + Math.round(178 - 150 * k) + ")";
        p.addEventListener("click", () => { form.elements.country.value = a3; refresh(); });
      }
      svg.append(p);
    }
    let dots = 0;
    const maxEv = Math.max(1, ...places.map((p) => p.events));
    for (const pl of places) {
      const xy = proj([pl.lon, pl.lat]);
      if (!xy || !isFinite(xy[0]) || !isFinite(xy[1])) continue;
      const c = document.createElementNS(SVG, "circle");
      c.setAttribute("cx", xy[0].toFixed(1));
      c.setAttribute("cy", xy[1].toFixed(1));
      c.setAttribute("r", (pl.events ? 3 + 7 * Math.sqrt(pl.events / maxEv) : 2.5).toFixed(1));
      c.setAttribute("class", pl.events ? "place" : "place mention-only");
      const t = document.createElementNS(SVG, "title");
      t.textContent = pl.name + (pl.country ? " (" + pl.country + ")" : "") + ": " + pl.events + " events, " + pl.mentions + " mentions";
      c.append(t);
      svg.append(c);
      dots++;
    }
    svg.dataset.countries = String(shaded);
    svg.dataset.places = String(dots);
  }

  // ---- network ----------------------------------------------------------
  // Cytoscape (440 KB of script, then a layout) is the costliest part of a
  // first render, so it is loaded only after the first paint: the other
  // panels show first, and the network is drawn as soon as it arrives.
  let cytoscapeLoad = null;
  function loadCytoscape() {
    if (!cytoscapeLoad) {
      cytoscapeLoad = new Promise((resolve, reject) => {
        if (window.cytoscape) { resolve(); return; }
        const s = document.createElement("script");
        s.src = "/ui/vendor/cytoscape.min.js";
        s.onload = () => resolve();
        s.onerror = () => { cytoscapeLoad = null; reject(new Error("cytoscape did not load")); };
        document.head.append(s);
      });
    }
    return cytoscapeLoad;
  }

  // Counts at once (they come with the data); the drawing when Cytoscape
  // is there. Returns a function that draws (null: nothing to draw).
  function prepareNetwork(dyads) {
    const box = $("#network");
    const nodes = new Map();
    const edges = [];
    const max = Math.max(1, ...dyads.map((d) => d.count));
    for (const d of dyads) {
      nodes.set(d.source, (nodes.get(d.source) || 0) + d.count);
      nodes.set(d.target, (nodes.get(d.target) || 0) + d.count);
      edges.push({ data: { id: "e:" + d.key, source: "n:" + d.source, target: "n:" + d.target, count: d.count, w: 1 + 7 * d.count / max } });
    }
    const els = Array.from(nodes, ([code, n]) => ({ data: { id: "n:" + code, label: code, n: n } })).concat(edges);
    box.dataset.nodes = String(nodes.size);
    box.dataset.edges = String(edges.length);
    box.dataset.weight = String(dyads.reduce((s, d) => s + d.count, 0));
    if (cy) { cy.destroy(); cy = null; }
    box.replaceChildren();
    if (nodes.size === 0) { box.append(el("p", { class: "muted" }, "No events with both a source and a target match.")); return null; }
    if (!window.cytoscape) box.append(el("p", { class: "muted" }, "Drawing the network…"));
    return () => drawNetwork(box, els, nodes.size);
  }

  function drawNetwork(box, els, n) {
    if (cy) { cy.destroy(); cy = null; }
    box.replaceChildren();
    cy = cytoscape({
      container: box,
      elements: els,
      style: [
        { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#546e7a", width: 14, height: 14 } },
        { selector: "edge", style: { width: "data(w)", "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#90a4ae", "target-arrow-color": "#90a4ae", label: "data(count)", "font-size": 8 } },
      ],
      // A force layout reads best but costs O(n^2): keep it for small graphs.
      layout: n <= 60 ? { name: "cose", animate: false, randomize: false } : { name: "concentric", animate: false },
    });
    cy.on("tap", "node", (e) => { form.elements.actor.value = e.target.data("label"); refresh(); });
  }

  // ---- event list -------------------------------------------------------
  function actorLabel(a) {
    if (!a) return "";
    return a.code + (a.name ? " (" + a.name + ")" : a.text ? " (" + a.text + ")" : "");
  }

  // `total` is the exact number of matches (the server counts its page's
  // matches only up to a cap; the counts by type add up to all of them).
  function renderEvents(rows, total) {
    const tb = $("#events tbody");
    tb.replaceChildren();
    $("#events-count").textContent = rows.items.length < total ? rows.items.length + " of " + total : String(total);
    $("#events").dataset.total = String(total);
    for (const e of rows.items) {
      const tr = el("tr");
      tr.dataset.id = String(e.id);
      tr.append(el("td", null, e.date || ""));
      const ty = el("td", null, e.plover + (e.mode ? "/" + e.mode : ""));
      for (const fl of e.flags) ty.append(el("span", { class: "flag" }, fl));
      tr.append(ty, el("td", null, actorLabel(e.source)), el("td", null, actorLabel(e.target)));
      tr.append(el("td", null, e.place ? e.place.name + (e.place.country ? ", " + e.place.country : "") : ""));
      const snip = e.snippet || e.doc_title || "";
      tr.append(el("td", null, snip.length > 140 ? snip.slice(0, 140) + "…" : snip));
      tr.addEventListener("click", () => {
        tb.querySelectorAll("tr.selected").forEach((r) => r.classList.remove("selected"));
        tr.classList.add("selected");
        openReader(e);
      });
      tb.append(tr);
    }
  }

  // ---- article reader ---------------------------------------------------
  // Offsets are Unicode scalar offsets; JavaScript strings are UTF-16, so
  // the text is split into code points before slicing.
  async function openReader(ev) {
    const box = $("#reader");
    box.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    let rec;
    try {
      rec = await api("/api/documents/" + encodeURIComponent(ev.doc_id));
    } catch (err) {
      box.replaceChildren(el("p", { class: "muted" }, String(err)));
      return;
    }
    const art = rec.article || {};
    const cps = Array.from(art.text || "");
    const marks = [];
    for (const s of ev.evidence) marks.push([s.start, s.end, "evidence"]);
    // Actor spans: on the row when the backend keeps them, else on the
    // record's copy of the event (linked by the store's id).
    const recEv = (rec.events || []).find((e) => e.store_id === ev.id) || {};
    for (const side of ["source", "target"]) {
      const a = ev[side] && ev[side].start !== undefined ? ev[side] : recEv[side];
      if (a) marks.push([a.start, a.end, "actor"]);
    }
    for (const q of rec.quotes || []) if (q.content) marks.push([q.content.start, q.content.end, "quote"]);
    const cuts = new Set([0, cps.length]);
    for (const [s, e] of marks) {
      if (s >= 0 && e <= cps.length && s < e) { cuts.add(s); cuts.add(e); }
    }
    const pts = Array.from(cuts).sort((a, b) => a - b);
    const text = el("div", { class: "text" });
    let firstEvidence = null;
    for (let i = 0; i + 1 < pts.length; i++) {
      const a = pts[i], b = pts[i + 1];
      const classes = new Set();
      for (const [s, e, c] of marks) if (s <= a && b <= e) classes.add(c);
      const chunk = cps.slice(a, b).join("");
      if (classes.size === 0) { text.append(document.createTextNode(chunk)); continue; }
      const span = el(classes.has("evidence") ? "mark" : "span", { class: Array.from(classes).join(" ") }, chunk);
      if (classes.has("evidence") && !firstEvidence) firstEvidence = span;
      text.append(span);
    }
    const meta = [art.date, art.site, rec.id].filter(Boolean).join(" · ");
    const legend = el("p", { class: "legend" });
    legend.append(el("span", { class: "evidence" }, "evidence"), el("span", { class: "actor" }, "actors"), el("span", { class: "quote" }, "quotes"));
    box.replaceChildren(
      el("h3", null, art.title || rec.id),
      el("p", { class: "meta" }, meta),
      el("p", { class: "meta" }, ev.plover + " " + (ev.cameo || "") + ": " + actorLabel(ev.source) + " → " + actorLabel(ev.target) + (ev.rule ? "  [rule " + ev.rule + "]" : "")),
      legend,
      text,
    );
    box.dataset.doc = rec.id;
    box.dataset.event = String(ev.id);
    if (firstEvidence) firstEvidence.scrollIntoView({ block: "center" });
  }

  // ---- wiring -----------------------------------------------------------
  async function refresh() {
    const my = ++seq;
    document.body.dataset.ready = "";
    const f = filters();
    const t0 = performance.now();
    const timings = {};
    const lap = (name, since) => (timings[name] = Math.round(performance.now() - since));
    // The timeline's series (one per type) are asked as soon as the
    // types are known, not after the slowest of the first answers.
    const typesP = api("/api/counts", Object.assign({}, f, { by: "type" }));
    const timeline = typesP.then((t) => fetchTimeline(f, t.items));
    timeline.catch(() => {}); // (reported where it is awaited)
    const [health, events, types, dyads, countries, places] = await Promise.all([
      api("/api/health"),
      api("/api/events", Object.assign({}, f, { limit: 200 })),
      typesP,
      api("/api/counts", Object.assign({}, f, { by: "dyad", limit: 150 })),
      api("/api/counts", Object.assign({}, f, { by: "country" })),
      api("/api/places", Object.assign({}, f, { limit: 500 })),
    ]);
    if (my !== seq) return; // a newer refresh started
    lap("fetch", t0);
    if (!typesFilled) fillTypes(Object.keys(f).length ? null : types).catch((e) => console.error(e));
    // The timeline is drawn after the list, so the server computes its
    // series while the browser draws.
    const total = events.total_exact === false ? types.items.reduce((n, t) => n + t.count, 0) : events.total;
    const s = health.stats;
    $("#stats").textContent = s.documents + " documents, " + s.events + " events in store; " + total + " match";
    const hint = $("#hint");
    hint.hidden = !health.hint;
    hint.textContent = health.hint || "";
    let t = performance.now();
    renderEvents(events, total);
    lap("list", t);
    const drawNet = prepareNetwork(dyads.items);
    t = performance.now();
    await Promise.all([timeline.then(renderTimeline), renderMap(countries.items, places.items)]);
    lap("timeline+map", t);
    if (my !== seq) return;
    // First render: list, timeline and map drawn, the network's counts
    // shown; the network graph follows (Cytoscape loads after this paint).
    if (!window.__dyadFirstRender) window.__dyadFirstRender = performance.now();
    if (drawNet) {
      if (!window.cytoscape) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      t = performance.now();
      await loadCytoscape();
      lap("network load", t);
      if (my !== seq) return;
      t = performance.now();
      drawNet();
      lap("network", t);
    }
    lap("total", t0);
    window.__dyadTimings = timings;
    if (my !== seq) return;
    if (!window.__dyadNetworkDrawn) window.__dyadNetworkDrawn = performance.now();
    document.body.dataset.ready = String(my);
  }

  // The type menu lists every type in the store: the first refresh's
  // counts when it has no filter, else a request of its own.
  let typesFilled = false;
  async function fillTypes(unfiltered) {
    typesFilled = true;
    const all = unfiltered || await api("/api/counts", { by: "type" });
    const sel = form.elements.type;
    for (const t of all.items) sel.append(el("option", { value: t.key }, t.key + " (" + t.count + ")"));
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(); });
  // (No form control may be named "reset": it would shadow form.reset.)
  $("#clear").addEventListener("click", () => { form.reset(); refresh(); });
  refresh().catch((e) => { $("#stats").textContent = "error: " + e.message; });
})();
