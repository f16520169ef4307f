// Outpost dashboard: an event table with filters and an article view.
//
// Safety rule for this file: data from the API is only ever written with textContent,
// createTextNode or attribute setters (never as HTML), and links to article pages are
// only made for http(s) URLs.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const PAGE = 100;
  let cursor = null;
  let generation = 0; // bumps on every listing request; stale answers are dropped

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  async function getJSON(url) {
    const resp = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await resp.json();
    } catch (_) {
      body = null;
    }
    if (!resp.ok) {
      throw new Error((body && typeof body.error === "string") ? body.error : "HTTP " + resp.status);
    }
    return body;
  }

  // Evidence offsets count Unicode scalar values, so texts are indexed as code-point arrays.
  function validRange(s, e, n) {
    return Number.isInteger(s) && Number.isInteger(e) && s >= 0 && s < e && e <= n;
  }

  // The trigger's range inside the evidence sentence, or null.
  function triggerRange(ev) {
    const e = ev.evidence || {};
    const chars = Array.from(e.text || "");
    const s = e.start - e.sentence_start;
    const t = e.end - e.sentence_start;
    if (validRange(s, t, chars.length)) return [s, t];
    if (e.trigger && e.text) {
      const i = e.text.indexOf(e.trigger);
      if (i >= 0) {
        const start = Array.from(e.text.slice(0, i)).length;
        return [start, start + Array.from(e.trigger).length];
      }
    }
    return null;
  }

  // Appends `text` to `parent` with chars [s, e) inside a <mark>.
  function appendMarked(parent, text, range) {
    const chars = Array.from(text || "");
    if (!range) {
      parent.appendChild(document.createTextNode(text || ""));
      return;
    }
    parent.appendChild(document.createTextNode(chars.slice(0, range[0]).join("")));
    parent.appendChild(el("mark", chars.slice(range[0], range[1]).join("")));
    parent.appendChild(document.createTextNode(chars.slice(range[1]).join("")));
  }

  function actorCode(a) {
    return a ? (a.code || a.country || a.text || "?") : "";
  }

  function parties(ev) {
    const text = actorCode(ev.source) + (ev.target ? " → " + actorCode(ev.target) : "");
    const td = el("td", text, "nowrap");
    const names = [ev.source && ev.source.text, ev.target && ev.target.text].filter(Boolean);
    td.title = names.join(" → ");
    return td;
  }

  function place(loc) {
    if (!loc) return "";
    return [loc.name, loc.country].filter(Boolean).join(", ");
  }

  function articleHash(articleId, eventId) {
    return "#article/" + encodeURIComponent(articleId) + "/" + encodeURIComponent(eventId || "");
  }

  function eventRow(ev) {
    const tr = document.createElement("tr");
    tr.appendChild(el("td", ev.date || "", "nowrap"));
    tr.appendChild(el("td", ev.plover + (ev.mode ? " / " + ev.mode : ""), "nowrap"));
    const cameo = el("td", ev.cameo);
    cameo.title = "Goldstein " + ev.goldstein + ", QuadClass " + ev.quad_class;
    tr.appendChild(cameo);
    tr.appendChild(parties(ev));
    tr.appendChild(el("td", place(ev.location)));
    tr.appendChild(el("td", ev.status, "status-" + String(ev.status).replace(/[^a-z]/g, "")));
    const evidence = el("td", null, "evidence");
    appendMarked(evidence, (ev.evidence || {}).text, triggerRange(ev));
    tr.appendChild(evidence);
    const link = el("a", "article");
    link.href = articleHash((ev.evidence || {}).article_id || "", ev.id);
    const cell = document.createElement("td");
    cell.appendChild(link);
    tr.appendChild(cell);
    return tr;
  }

  function filterParams() {
    const params = new URLSearchParams();
    for (const name of ["plover", "country", "status", "from", "to", "q"]) {
      const field = $("filters").elements[name];
      const value = field ? field.value.trim() : "";
      if (value) params.set(name, value);
    }
    params.set("limit", String(PAGE));
    return params;
  }

  async function loadEvents(append) {
    const params = filterParams();
    if (append && cursor) params.set("cursor", cursor);
    if (!append) {
      cursor = null;
      clear($("event-rows"));
    }
    const mine = ++generation;
    $("more").hidden = true;
    $("list-status").textContent = "Loading…";
    try {
      const page = await getJSON("/api/events?" + params.toString());
      if (mine !== generation) return;
      const rows = $("event-rows");
      for (const ev of page.events) rows.appendChild(eventRow(ev));
      cursor = page.next_cursor || null;
      $("more").hidden = !cursor;
      const shown = rows.childNodes.length;
      $("list-status").textContent = shown === 0 ? "No events match." : shown + " events shown.";
    } catch (err) {
      if (mine === generation) $("list-status").textContent = "Error: " + err.message;
    }
  }

  async function loadStats() {
    try {
      const s = await getJSON("/api/stats");
      $("totals").textContent = s.events + " events from " + s.articles + " articles";
      const select = $("f-plover");
      for (const c of s.by_plover) {
        const opt = el("option", c.key + " (" + c.count + ")");
        opt.value = c.key;
        select.appendChild(opt);
      }
    } catch (err) {
      $("totals").textContent = "Stats unavailable: " + err.message;
    }
  }

  // Article text with every event sentence shaded, the selected one stronger and its
  // trigger marked.
  function renderArticleText(container, text, events, selected) {
    clear(container);
    const chars = Array.from(text || "");
    const n = chars.length;
    const spans = [];
    for (const ev of events) {
      const e = ev.evidence || {};
      const isSel = ev.id === selected;
      if (validRange(e.sentence_start, e.sentence_end, n)) {
        spans.push({ s: e.sentence_start, e: e.sentence_end, kind: isSel ? "sel" : "ev" });
      }
      if (isSel && validRange(e.start, e.end, n)) spans.push({ s: e.start, e: e.end, kind: "trig" });
    }
    const cuts = new Set([0, n]);
    for (const sp of spans) {
      cuts.add(sp.s);
      cuts.add(sp.e);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const covers = (kind, a, b) => spans.some((sp) => sp.kind === kind && sp.s <= a && b <= sp.e);
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i];
      const b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const cls = covers("sel", a, b) ? "sel" : covers("ev", a, b) ? "ev" : "";
      const inner = covers("trig", a, b) ? el("mark", piece) : document.createTextNode(piece);
      if (cls) {
        const span = el("span", null, cls);
        span.appendChild(inner);
        container.appendChild(span);
      } else {
        container.appendChild(inner);
      }
    }
    const first = container.querySelector(".sel");
    if (first) first.scrollIntoView({ block: "center" });
  }

  async function showArticle(articleId, eventId) {
    $("list-view").hidden = true;
    $("article-view").hidden = false;
    for (const id of ["a-title", "a-meta", "a-text", "a-events"]) clear($(id));
    $("a-url").hidden = true;
    $("a-url").removeAttribute("href");
    try {
      const data = await getJSON("/api/articles/" + encodeURIComponent(articleId));
      const a = data.article;
      $("a-title").textContent = a.title || "(untitled)";
      const meta = [a.site, a.date, (a.authors || []).join(", "), a.wire, a.language];
      $("a-meta").textContent = meta.filter(Boolean).join(" · ");
      if (typeof a.url === "string" && /^https?:\/\//i.test(a.url)) {
        $("a-url").href = a.url;
        $("a-url").hidden = false;
      }
      renderArticleText($("a-text"), a.text, data.events, eventId);
      for (const ev of data.events) {
        const li = document.createElement("li");
        const link = el("a", [ev.date, ev.plover, ev.cameo].filter(Boolean).join(" "));
        link.href = articleHash(a.id, ev.id);
        li.appendChild(link);
        li.appendChild(document.createTextNode(" " + actorCode(ev.source) +
          (ev.target ? " → " + actorCode(ev.target) : "") + " (" + ev.status + "): "));
        appendMarked(li, (ev.evidence || {}).text, triggerRange(ev));
        if (ev.id === eventId) li.className = "sel";
        $("a-events").appendChild(li);
      }
    } catch (err) {
      $("a-title").textContent = "Error: " + err.message;
    }
  }

  function showList() {
    $("article-view").hidden = true;
    $("list-view").hidden = false;
  }

  function route() {
    const hash = window.location.hash;
    if (hash.startsWith("#article/")) {
      const parts = hash.slice("#article/".length).split("/");
      try {
        showArticle(decodeURIComponent(parts[0] || ""), decodeURIComponent(parts[1] || ""));
      } catch (_) {
        showList();
      }
    } else {
      showList();
    }
  }

  function start() {
    $("filters").addEventListener("submit", (ev) => {
      ev.preventDefault();
      loadEvents(false);
    });
    $("f-reset").addEventListener("click", () => {
      $("filters").reset();
      loadEvents(false);
    });
    $("more").addEventListener("click", () => {
      if (cursor) loadEvents(true);
    });
    $("back").addEventListener("click", (ev) => {
      ev.preventDefault();
      window.location.hash = "";
    });
    window.addEventListener("hashchange", route);
    loadStats();
    loadEvents(false);
    route();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
