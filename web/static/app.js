// Outpost dashboard. Plain script, no libraries. Every piece of data is written with
// textContent or attribute setters (never as HTML), and every view is driven by the
// filters kept in the page address, so a link reproduces what the analyst sees.
'use strict';

(function () {
  const FILTERS = ['from', 'to', 'country', 'actor', 'plover', 'quad_class', 'cameo_root',
    'acled_type', 'status', 'bbox', 'near', 'radius_km', 'q'];
  const QUADS = {
    1: 'verbal cooperation', 2: 'material cooperation', 3: 'verbal conflict', 4: 'material conflict',
  };
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);

  // ---- small DOM helpers (text only) ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) e.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function titled(node, text) {
    node.append(svg('title', {}, text));
    return node;
  }
  function clear(node) { node.replaceChildren(); }
  function state(id, kind, text) {
    const n = $(id);
    n.className = 'state' + (kind ? ' ' + kind : '');
    n.textContent = text || '';
  }

  // ---- URL state ----
  function current() { return new URLSearchParams(location.search); }
  function filterParams(extra) {
    const u = current();
    const p = new URLSearchParams();
    for (const k of FILTERS) {
      const v = u.get(k);
      if (v) p.set(k, v);
    }
    for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
    return p;
  }
  function go(params, replace) {
    const qs = params.toString();
    const url = qs ? '/?' + qs : '/';
    if (replace) history.replaceState(null, '', url); else history.pushState(null, '', url);
    render();
  }
  function setParam(k, v) {
    const p = current();
    if (v === null || v === '') p.delete(k); else p.set(k, v);
    p.delete('event');
    go(p);
  }

  // ---- API ----
  let generation = 0;
  async function api(path, params) {
    const url = params && [...params].length ? path + '?' + params.toString() : path;
    let resp;
    try {
      resp = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new Error('the server did not answer (' + e.message + ')');
    }
    let body = null;
    try { body = await resp.json(); } catch (_) { /* not JSON */ }
    if (!resp.ok) {
      const msg = body && typeof body.error === 'string' ? body.error : 'HTTP ' + resp.status;
      throw new Error(msg);
    }
    return body;
  }
  function showError(err) {
    const n = $('error');
    if (!err) { n.hidden = true; n.textContent = ''; return; }
    n.hidden = false;
    n.textContent = 'Error: ' + err.message;
  }

  // ---- filter form ----
  const form = $('filters');
  const toggle = $('f-toggle');
  toggle.addEventListener('click', () => {
    const open = form.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  function fillForm() {
    const u = current();
    const active = FILTERS.filter((k) => u.get(k)).length;
    toggle.textContent = active ? `Filters (${active})` : 'Filters';
    for (const k of FILTERS) {
      const input = form.elements.namedItem(k);
      if (input) input.value = u.get(k) || '';
    }
    const dl = filterParams();
    $('dl-csv').setAttribute('href', '/api/events.csv' + (dl.toString() ? '?' + dl : ''));
    $('dl-jsonl').setAttribute('href', '/api/events.jsonl' + (dl.toString() ? '?' + dl : ''));
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    const view = current().get('view');
    if (view && view !== 'event') p.set('view', view);
    for (const k of FILTERS) {
      const input = form.elements.namedItem(k);
      const v = input ? input.value.trim() : '';
      if (v) p.set(k, v);
    }
    go(p);
  });
  $('f-reset').addEventListener('click', () => {
    const p = new URLSearchParams();
    const view = current().get('view');
    if (view && view !== 'event') p.set('view', view);
    go(p);
  });

  // Links inside the page change the address without reloading.
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[data-internal], nav a');
    if (!a || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    ev.preventDefault();
    const target = new URL(a.getAttribute('href'), location.href);
    const p = new URLSearchParams(target.search);
    if (a.dataset.view) {
      // Switching views keeps the filters.
      const keep = filterParams();
      if (a.dataset.view !== 'overview') keep.set('view', a.dataset.view);
      go(keep);
      return;
    }
    go(p);
  });
  window.addEventListener('popstate', render);

  // ---- formatting ----
  function actorLabel(a) {
    if (!a) return '—';
    return a.code + (a.country && !a.code.startsWith(a.country) ? ' (' + a.country + ')' : '');
  }
  function quadBadge(q) {
    return el('span', { class: 'quad q' + q, title: QUADS[q] || '' }, q);
  }
  function eventLink(e, text) {
    const p = filterParams({ view: 'event', event: e.id });
    return el('a', { href: '/?' + p.toString(), 'data-internal': '' }, text);
  }

  // ---- totals and PLOVER options ----
  let statsLoaded = false;
  async function loadStats() {
    if (statsLoaded) return;
    try {
      const s = await api('/api/stats');
      statsLoaded = true;
      $('totals').textContent = s.events.toLocaleString() + ' events from ' +
        s.articles.toLocaleString() + ' articles' +
        (s.first_date ? ', ' + s.first_date + ' to ' + s.last_date : '');
      const sel = form.elements.namedItem('plover');
      for (const c of s.by_plover) sel.append(el('option', { value: c.key }, c.key));
      sel.value = current().get('plover') || '';
    } catch (e) {
      $('totals').textContent = 'totals unavailable';
    }
  }

  // ---- timeline ----
  function renderTimeline(counts) {
    const box = $('timeline');
    clear(box);
    const byDay = new Map();
    for (const c of counts) {
      if (!byDay.has(c.day)) byDay.set(c.day, [0, 0, 0, 0, 0]);
      byDay.get(c.day)[Number(c.key)] += c.count;
    }
    const days = [...byDay.keys()].sort();
    if (!days.length) { state('timeline-state', '', 'No dated events match these filters.'); return; }
    // Fill gaps so the axis is time, and bucket by week when the range is long.
    const start = new Date(days[0] + 'T00:00:00Z');
    const end = new Date(days[days.length - 1] + 'T00:00:00Z');
    const span = Math.round((end - start) / 86400000) + 1;
    const step = span > 400 ? 7 : 1;
    const buckets = [];
    for (let t = start.getTime(); t <= end.getTime(); t += step * 86400000) {
      const v = [0, 0, 0, 0, 0];
      for (let i = 0; i < step; i++) {
        const d = new Date(t + i * 86400000).toISOString().slice(0, 10);
        const got = byDay.get(d);
        if (got) for (let q = 1; q <= 4; q++) v[q] += got[q];
      }
      buckets.push({ day: new Date(t).toISOString().slice(0, 10), v });
    }
    const W = 1000, H = 220, L = 40, B = 22, T = 8;
    const max = Math.max(1, ...buckets.map((b) => b.v[1] + b.v[2] + b.v[3] + b.v[4]));
    const bw = (W - L) / buckets.length;
    const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'events per day' });
    s.append(svg('line', { x1: L, y1: H - B, x2: W, y2: H - B, stroke: '#b9c0cc' }));
    s.append(svg('text', { x: L - 4, y: T + 10, 'text-anchor': 'end', class: 'axis' }, max));
    s.append(svg('text', { x: L - 4, y: H - B, 'text-anchor': 'end', class: 'axis' }, 0));
    s.append(svg('text', { x: L, y: H - 6, class: 'axis' }, buckets[0].day));
    s.append(svg('text', { x: W, y: H - 6, 'text-anchor': 'end', class: 'axis' }, buckets[buckets.length - 1].day));
    buckets.forEach((b, i) => {
      let y = H - B;
      const total = b.v[1] + b.v[2] + b.v[3] + b.v[4];
      if (!total) return;
      const g = svg('g', { class: 'bar', 'data-day': b.day });
      for (let q = 1; q <= 4; q++) {
        if (!b.v[q]) continue;
        const h = (b.v[q] / max) * (H - B - T);
        y -= h;
        g.append(svg('rect', { x: L + i * bw + 0.5, y, width: Math.max(1, bw - 1), height: h, class: 'q' + q }));
      }
      titled(g, `${step === 7 ? 'week of ' : ''}${b.day}: ${total} events (` +
        [1, 2, 3, 4].map((q) => `${QUADS[q]} ${b.v[q]}`).join(', ') + ')');
      g.addEventListener('click', () => {
        const p = current();
        p.set('from', b.day);
        const last = new Date(new Date(b.day + 'T00:00:00Z').getTime() + (step - 1) * 86400000);
        p.set('to', last.toISOString().slice(0, 10));
        go(p);
      });
      s.append(g);
    });
    box.append(s);
    const total = buckets.reduce((a, b) => a + b.v[1] + b.v[2] + b.v[3] + b.v[4], 0);
    state('timeline-state', '', `${total.toLocaleString()} dated events` + (step === 7 ? ', per week' : ''));
  }
  function renderLegend() {
    const ul = $('timeline-legend');
    if (ul.childElementCount) return;
    for (let q = 1; q <= 4; q++) ul.append(el('li', {}, el('span', { class: 'q' + q }), `${q} ${QUADS[q]}`));
  }

  // ---- map ----
  let world = null;
  async function loadWorld() {
    if (!world) world = await api('/assets/world.json');
    return world;
  }
  const SHADES = ['#eef1f5', '#fde0c5', '#facba0', '#f4a26b', '#e5723f', '#c8452a'];
  function renderMap(w, countries, places) {
    const box = $('map');
    clear(box);
    const counts = new Map(countries.map((c) => [c.key, c.count]));
    const max = Math.max(1, ...countries.map((c) => c.count));
    const selected = current().get('country');
    const s = svg('svg', { viewBox: '0 100 3600 1450', role: 'img', 'aria-label': 'world map of events' });
    s.append(svg('rect', { x: 0, y: 100, width: 3600, height: 1450, fill: '#dfeaf5' }));
    for (const c of w.countries) {
      const n = (c.iso3 && counts.get(c.iso3)) || 0;
      const shade = n ? SHADES[1 + Math.min(4, Math.floor(Math.sqrt(n / max) * 5))] : SHADES[0];
      const p = svg('path', {
        d: c.d, fill: shade, class: 'country' + (selected && c.iso3 === selected ? ' selected' : ''),
        'data-iso3': c.iso3 || '',
      });
      titled(p, `${c.name}${c.iso3 ? ' (' + c.iso3 + ')' : ''}: ${n.toLocaleString()} events`);
      if (c.iso3) p.addEventListener('click', () => setParam('country', selected === c.iso3 ? null : c.iso3));
      s.append(p);
    }
    const pmax = Math.max(1, ...places.map((p) => p.count));
    for (const pl of places) {
      const r = 6 + 24 * Math.sqrt(pl.count / pmax);
      const dot = svg('circle', {
        cx: ((pl.lon + 180) * 10).toFixed(1), cy: ((90 - pl.lat) * 10).toFixed(1), r: r.toFixed(1), class: 'place',
      });
      titled(dot, `${pl.name || 'place'}${pl.country ? ', ' + pl.country : ''}: ${pl.count} events`);
      s.append(dot);
    }
    box.append(s);
    state('map-state', '', countries.length
      ? `${countries.length} countries, ${places.length} places (click a country to filter)`
      : 'No located events match these filters.');
  }

  // ---- event table ----
  let nextCursor = null;
  function eventRow(e) {
    const loc = e.location ? e.location.name + (e.location.country ? ', ' + e.location.country : '') : '—';
    const ev = e.evidence ? e.evidence.text : '';
    return el('tr', { 'data-id': e.id },
      el('td', {}, e.date || '—'),
      el('td', {}, eventLink(e, e.plover), el('br'), el('span', { class: 'muted small' }, 'CAMEO ' + e.cameo)),
      el('td', {}, quadBadge(e.quad_class)),
      el('td', {}, actorLabel(e.source), ' → ', actorLabel(e.target)),
      el('td', {}, loc),
      el('td', {}, e.status),
      el('td', { class: 'reports' }, reportsLabel(e)),
      el('td', { class: 'evidence' }, ev.length > 180 ? ev.slice(0, 177) + '…' : ev));
  }
  // How many reports support an aggregated event: articles (sources), with the mentions in a tooltip.
  function reportsLabel(e) {
    const a = e.aggregate;
    if (!a) return '1';
    const span = el('span', {}, a.num_articles + (a.num_sources > 1 ? ` (${a.num_sources} sources)` : ''));
    titled(span, `${a.num_mentions} mentions in ${a.num_articles} articles from ${a.num_sources} sources`);
    return span;
  }
  async function loadTable(gen, append) {
    const params = filterParams({ limit: '50' });
    if (append && nextCursor) params.set('cursor', nextCursor);
    if (!append) { clear($('event-rows')); }
    state('table-state', 'loading', 'Loading events…');
    $('more').hidden = true;
    try {
      const page = await api('/api/events', params);
      if (gen !== generation) return;
      const rows = $('event-rows');
      for (const e of page.events) rows.append(eventRow(e));
      nextCursor = page.next_cursor;
      $('more').hidden = !nextCursor;
      const n = rows.childElementCount;
      state('table-state', '', n ? `${n} events shown, newest first` + (nextCursor ? '' : ' (all)') :
        'No events match these filters.');
    } catch (e) {
      if (gen !== generation) return;
      state('table-state', 'error', 'Could not load events: ' + e.message);
      throw e;
    }
  }
  $('more').addEventListener('click', () => { loadTable(generation, true).catch(showError); });

  // ---- alerts (fired by `outpost watch`; not filtered) ----
  function alertTime(iso) {
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  }
  function alertItem(a) {
    const d = a.details && typeof a.details === 'object' ? a.details : {};
    const events = Array.isArray(d.events) ? d.events : [];
    const li = el('li', { class: 'alert', 'data-id': a.id },
      el('span', { class: 'muted small' }, alertTime(a.fired_at)), ' ',
      el('strong', { class: 'alert-rule' }, a.rule), ' ',
      el('span', { class: 'alert-title' }, a.title));
    const facts = [];
    if (d.trigger === 'spike' && typeof d.value === 'number' && typeof d.threshold === 'number') {
      facts.push(`${d.metric || 'count'} ${d.value.toFixed(1)} over threshold ${d.threshold.toFixed(1)}`);
    }
    if (events.length) facts.push(events.length === 1 ? '1 event' : `${events.length} events`);
    if (!a.delivered && a.delivery_error) facts.push('webhook not delivered: ' + a.delivery_error);
    if (facts.length) li.append(el('br'), el('span', { class: 'muted small' }, facts.join(' · ')));
    const first = events.find((e) => e && typeof e.id === 'string');
    if (first) {
      li.append(' ', eventLink(first, 'first event'));
    }
    return li;
  }
  async function loadAlerts(gen) {
    state('alerts-state', 'loading', 'Loading alerts…');
    try {
      const r = await api('/api/alerts', new URLSearchParams({ limit: '10' }));
      if (gen !== generation) return;
      const list = $('alerts');
      list.replaceChildren(...r.alerts.map(alertItem));
      state('alerts-state', '', r.alerts.length ? 'Newest first' :
        'No alerts have fired (rules: outpost watch --alerts FILE, or the API).');
    } catch (e) {
      if (gen !== generation) return;
      clear($('alerts'));
      state('alerts-state', 'error', 'Could not load alerts: ' + e.message);
    }
  }

  // ---- overview ----
  async function renderOverview(gen) {
    renderLegend();
    state('timeline-state', 'loading', 'Loading…');
    state('map-state', 'loading', 'Loading…');
    const f = filterParams();
    const errors = [];
    const timeline = api('/api/aggregates/daily', filterParams({ by: 'quad_class' }))
      .then((r) => { if (gen === generation) renderTimeline(r.counts); })
      .catch((e) => { if (gen === generation) { clear($('timeline')); state('timeline-state', 'error', e.message); errors.push(e); } });
    const map = Promise.all([loadWorld(), api('/api/aggregates/countries', f),
      api('/api/aggregates/places', filterParams({ limit: '300' }))])
      .then(([w, c, p]) => { if (gen === generation) renderMap(w, c.countries, p.places); })
      .catch((e) => { if (gen === generation) { clear($('map')); state('map-state', 'error', e.message); errors.push(e); } });
    const table = loadTable(gen, false).catch((e) => errors.push(e));
    // Alerts do not depend on the filters; a failure shows in their panel only.
    const alerts = loadAlerts(gen);
    await Promise.all([timeline, map, table, alerts]);
    if (gen === generation && errors.length) showError(errors[0]);
  }

  // ---- one event ----
  function highlighted(text, ev) {
    // Offsets are in characters (code points); JavaScript strings count UTF-16 units.
    const chars = Array.from(text);
    let ss = ev.sentence_start, se = ev.sentence_end, ts = ev.start, te = ev.end;
    const valid = Number.isInteger(ss) && Number.isInteger(se) && ss >= 0 && se <= chars.length && ss < se;
    if (!valid || chars.slice(ss, se).join('').trim() !== ev.text.trim()) {
      const at = text.indexOf(ev.text);
      if (at < 0) return null;
      ss = Array.from(text.slice(0, at)).length;
      se = ss + Array.from(ev.text).length;
      const tr = ev.trigger ? ev.text.indexOf(ev.trigger) : -1;
      ts = tr >= 0 ? ss + Array.from(ev.text.slice(0, tr)).length : -1;
      te = tr >= 0 ? ts + Array.from(ev.trigger).length : -1;
    }
    const div = el('div', { class: 'article-text' });
    div.append(chars.slice(0, ss).join(''));
    const mark = el('mark', { class: 'evidence' });
    if (ts >= ss && te <= se && ts < te) {
      mark.append(chars.slice(ss, ts).join(''), el('mark', { class: 'trigger' }, chars.slice(ts, te).join('')),
        chars.slice(te, se).join(''));
    } else {
      mark.append(chars.slice(ss, se).join(''));
    }
    div.append(mark, chars.slice(se).join(''));
    return div;
  }
  async function renderEvent(gen, id) {
    clear($('ev-facts')); clear($('ev-mentions'));
    $('ev-title').textContent = '';
    state('event-state', 'loading', 'Loading event…');
    const back = filterParams();
    $('back').setAttribute('href', back.toString() ? '/?' + back : '/');
    $('back').setAttribute('data-internal', '');
    let e;
    try {
      e = await api('/api/events/' + encodeURIComponent(id));
    } catch (err) {
      if (gen === generation) state('event-state', 'error', 'Could not load the event: ' + err.message);
      return;
    }
    if (gen !== generation) return;
    state('event-state', '', '');
    $('ev-title').textContent = `${e.plover}${e.mode ? ' / ' + e.mode : ''}: ${actorLabel(e.source)} → ${actorLabel(e.target)}`;
    const facts = [
      ['Date', e.date ? e.date + (e.date_precision ? ' (' + e.date_precision + ')' : '') : 'unknown'],
      ['CAMEO', e.cameo], ['QuadClass', e.quad_class + ' ' + (QUADS[e.quad_class] || '')],
      ['Goldstein', e.goldstein], ['Status', e.status],
      ['ACLED', e.acled ? e.acled.event_type + ' / ' + e.acled.sub_event_type : '—'],
      ['Source', e.source ? `${e.source.text} [${e.source.code}]` : '—'],
      ['Target', e.target ? `${e.target.text} [${e.target.code}]` : '—'],
      ['Place', e.location ? `${e.location.name}${e.location.country ? ', ' + e.location.country : ''} (${e.location.lat}, ${e.location.lon})` : '—'],
      ['Reports', e.aggregate ? `${e.aggregate.num_mentions} mentions in ${e.aggregate.num_articles} articles from ${e.aggregate.num_sources} sources` : '1'],
      ['Confidence', e.confidence], ['Event id', e.id],
    ];
    for (const [k, v] of facts) $('ev-facts').append(el('dt', {}, k), el('dd', {}, v));
    // One box per reporting sentence; copies of the same article are listed inside it.
    const groups = new Map();
    for (const m of e.mentions || []) {
      const key = m.article_id + '#' + m.sentence;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(m);
    }
    const link = (m, label) => (typeof m.url === 'string' && /^https?:\/\//i.test(m.url))
      ? el('a', { href: m.url, rel: 'noopener noreferrer nofollow', target: '_blank' }, label)
      : el('span', {}, label);
    let shown = 0;
    for (const copies of groups.values()) {
      const m = copies[0];
      if (++shown > 20) {
        $('ev-mentions').append(el('p', { class: 'muted small' }, `${groups.size - 20} more reports not shown.`));
        break;
      }
      const box = el('article', { class: 'mention' });
      box.append(el('h3', {}, m.title || '(untitled article)'));
      const meta = [m.site, m.date].filter(Boolean).join(' · ');
      if (meta) box.append(el('p', { class: 'muted small' }, meta));
      if (typeof m.url === 'string' && /^https?:\/\//i.test(m.url)) {
        box.append(el('p', {}, link(m, 'original page')));
      }
      if (copies.length > 1) {
        const also = el('p', { class: 'muted small' }, 'Also published by: ');
        copies.slice(1).forEach((c, i) => {
          if (i) also.append(', ');
          also.append(link(c, c.site || c.source || 'copy'));
        });
        box.append(also);
      }
      box.append(el('p', { class: 'state loading' }, 'Loading the article…'));
      $('ev-mentions').append(box);
      try {
        const a = await api('/api/articles/' + encodeURIComponent(m.article_id));
        if (gen !== generation) return;
        box.lastChild.remove();
        const body = highlighted(a.article.text, m);
        box.append(body || el('p', { class: 'state' }, 'The evidence sentence was not found in the article text: ' + m.text));
        const others = a.events.filter((o) => o.id !== e.id);
        if (others.length) {
          const ul = el('ul', {});
          for (const o of others) ul.append(el('li', {}, eventLink(o, `${o.plover} ${actorLabel(o.source)} → ${actorLabel(o.target)}`)));
          box.append(el('h4', {}, 'Other events in this article'), ul);
        }
      } catch (err) {
        box.lastChild.textContent = 'Could not load the article: ' + err.message;
        box.lastChild.className = 'state error';
      }
    }
  }

  // ---- dyads ----
  function hostilityColor(g) {
    if (g < -5) return '#c8382e';
    if (g < -1) return '#f0a04b';
    if (g <= 1) return '#b9c0cc';
    if (g <= 5) return '#8fc7a3';
    return '#2e8b57';
  }
  async function renderDyads(gen) {
    clear($('dyad-rows'));
    state('dyads-state', 'loading', 'Loading dyads…');
    const pair = current().get('pair');
    let r;
    try {
      r = await api('/api/aggregates/dyads', filterParams({ limit: '30' }));
    } catch (e) {
      if (gen === generation) { state('dyads-state', 'error', 'Could not load dyads: ' + e.message); showError(e); }
      return;
    }
    if (gen !== generation) return;
    state('dyads-state', '', r.dyads.length ? 'Directed country pairs, most events first. Pick one for its index.' :
      'No events with both a source and a target country match these filters.');
    for (const d of r.dyads) {
      const key = d.source + '-' + d.target;
      const p = current(); p.set('view', 'dyads'); p.set('pair', key);
      const bar = el('span', { class: 'hostility', style: null });
      bar.style.width = (4 + Math.abs(d.mean_goldstein) * 6) + 'px';
      bar.style.background = hostilityColor(d.mean_goldstein);
      const tr = el('tr', { class: key === pair ? 'selected' : null },
        el('td', {}, el('a', { href: '/?' + p.toString(), 'data-internal': '' }, `${d.source} → ${d.target}`)),
        el('td', {}, d.count.toLocaleString()),
        el('td', {}, Math.round((100 * d.conflict) / d.count) + '%'),
        el('td', {}, bar, d.mean_goldstein.toFixed(2)));
      $('dyad-rows').append(tr);
    }
    const country = current().get('country');
    const chosen = pair || (r.dyads[0] ? r.dyads[0].source + '-' + r.dyads[0].target : null);
    await renderIndex(gen, chosen ? { dyad: chosen } : (country ? { country } : null));
  }
  async function renderIndex(gen, which) {
    clear($('index-chart'));
    if (!which) { state('index-state', '', 'Pick a dyad (or filter by a country) to see its index.'); return; }
    const label = which.dyad ? which.dyad.replace('-', ' → ') : which.country;
    $('index-title').textContent = 'Conflict/cooperation index: ' + label;
    state('index-state', 'loading', 'Loading…');
    const p = filterParams();
    p.delete('country');
    for (const [k, v] of Object.entries(which)) p.set(k, v);
    let r;
    try {
      r = await api('/api/aggregates/index', p);
    } catch (e) {
      if (gen === generation) state('index-state', 'error', 'Could not load the index: ' + e.message);
      return;
    }
    if (gen !== generation) return;
    const pts = r.points;
    if (!pts.length) { state('index-state', '', 'No dated events for ' + label + '.'); return; }
    const W = 1000, H = 220, L = 34, M = H / 2;
    const s = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'daily index' });
    s.append(svg('line', { x1: L, y1: M, x2: W, y2: M, stroke: '#b9c0cc' }));
    s.append(svg('text', { x: L - 4, y: 12, 'text-anchor': 'end', class: 'axis' }, '+10'));
    s.append(svg('text', { x: L - 4, y: M + 4, 'text-anchor': 'end', class: 'axis' }, '0'));
    s.append(svg('text', { x: L - 4, y: H - 2, 'text-anchor': 'end', class: 'axis' }, '−10'));
    const bw = (W - L) / pts.length;
    pts.forEach((pt, i) => {
      const h = (Math.abs(pt.index) / 10) * (M - 4);
      const r2 = svg('rect', {
        x: L + i * bw + 0.5, y: pt.index >= 0 ? M - h : M, width: Math.max(1, bw - 1), height: Math.max(0.5, h),
        fill: pt.index >= 0 ? '#2e8b57' : '#c8382e',
      });
      titled(r2, `${pt.day}: index ${pt.index} over ${pt.events} events (cooperation ${pt.cooperation}, conflict ${pt.conflict})`);
      s.append(r2);
    });
    $('index-chart').append(s);
    const mean = pts.reduce((a, p2) => a + p2.index * p2.events, 0) / pts.reduce((a, p2) => a + p2.events, 0);
    state('index-state', '', `${pts.length} days, ${pts[0].day} to ${pts[pts.length - 1].day}; overall mean ${mean.toFixed(2)}`);
  }

  // ---- router ----
  async function render() {
    const gen = ++generation;
    showError(null);
    fillForm();
    const u = current();
    const view = u.get('view') === 'event' && u.get('event') ? 'event' : (u.get('view') === 'dyads' ? 'dyads' : 'overview');
    $('overview-view').hidden = view !== 'overview';
    $('event-view').hidden = view !== 'event';
    $('dyads-view').hidden = view !== 'dyads';
    $('nav-overview').classList.toggle('active', view === 'overview');
    $('nav-dyads').classList.toggle('active', view === 'dyads');
    document.body.dataset.view = view;
    loadStats();
    try {
      if (view === 'event') await renderEvent(gen, u.get('event'));
      else if (view === 'dyads') await renderDyads(gen);
      else await renderOverview(gen);
    } catch (e) {
      if (gen === generation) showError(e);
    }
    if (gen === generation) document.body.dataset.ready = String(gen);
  }
  render();
})();
