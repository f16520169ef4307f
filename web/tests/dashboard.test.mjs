// The dashboard in a real (headless) browser, over the demo corpus plus one hostile article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, ROOT, tempDir, demoDatabase, startServer, launchBrowser, ready } from './helpers.mjs';

let tmp, server, context, page;
const pageErrors = [];

async function apiJson(path) {
  const r = await fetch(server.url + path);
  assert.equal(r.status, 200, path);
  return r.json();
}

before(async () => {
  tmp = tempDir('outpost-browser-');
  const db = demoDatabase(tmp.dir, [join(ROOT, 'web', 'tests', 'fixtures', 'hostile.html')]);
  server = await startServer(db);
  context = await launchBrowser(join(tmp.dir, 'profile'));
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('dialog', (d) => { pageErrors.push('dialog opened: ' + d.message()); d.dismiss(); });
});

after(async () => {
  if (context) await context.close();
  if (server) await server.stop();
  if (tmp) tmp.remove();
});

test('first view renders the timeline, map and table quickly', async () => {
  const t0 = Date.now();
  await page.goto(server.url + '/');
  await ready(page);
  const ms = Date.now() - t0;
  console.log(`first view rendered in ${ms} ms`);
  assert.ok(ms < 5000, `first view took ${ms} ms`);
  const bars = await page.locator('#timeline g.bar').count();
  const countries = await page.locator('#map path.country').count();
  const shaded = await page.locator('#map path.country:not([fill="#eef1f5"])').count();
  const places = await page.locator('#map circle.place').count();
  const rows = await page.locator('#event-rows tr').count();
  assert.ok(bars > 0, 'timeline bars');
  assert.ok(countries > 150, `country outlines: ${countries}`);
  assert.ok(shaded > 0 && shaded < countries, `shaded countries: ${shaded}`);
  assert.ok(places > 0, 'place dots');
  assert.equal(rows, 50, 'first page of the table');
  assert.match(await page.locator('#totals').textContent(), /events from \d+ articles/);
  await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: false });
  assert.deepEqual(pageErrors, []);
});

test('filters drive every view and live in the shareable address', async () => {
  const stats = await apiJson('/api/stats');
  const country = stats.by_country[0].key;
  await page.goto(server.url + '/');
  await ready(page);
  await page.fill('input[name=country]', country);
  await page.selectOption('select[name=quad_class]', '4');
  await page.click('#filters button[type=submit]');
  await page.waitForURL(/country=/);
  await ready(page);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('country'), country);
  assert.equal(url.searchParams.get('quad_class'), '4');
  const want = await apiJson(`/api/events?country=${country}&quad_class=4&limit=50`);
  const ids = await page.locator('#event-rows tr').evaluateAll((trs) => trs.map((t) => t.dataset.id));
  assert.deepEqual(ids, want.events.map((e) => e.id));
  assert.ok(ids.length > 0, 'the filter matches some events');
  // Timeline: only QuadClass 4 is drawn; the map marks the chosen country.
  assert.equal(await page.locator('#timeline rect.q1, #timeline rect.q2, #timeline rect.q3').count(), 0);
  assert.ok(await page.locator('#timeline rect.q4').count() > 0);
  assert.equal(await page.locator(`#map path.selected[data-iso3="${country}"]`).count(), 1);
  // Download links carry the filters.
  assert.match(await page.locator('#dl-csv').getAttribute('href'), new RegExp(`country=${country}`));
  // The same address in a fresh page shows the same thing.
  const other = await context.newPage();
  await other.goto(page.url());
  await ready(other);
  assert.equal(await other.inputValue('input[name=country]'), country);
  const ids2 = await other.locator('#event-rows tr').evaluateAll((trs) => trs.map((t) => t.dataset.id));
  assert.deepEqual(ids2, ids);
  await other.close();
  // Back restores the unfiltered view.
  await page.goBack();
  await ready(page);
  assert.equal(await page.inputValue('input[name=country]'), '');
});

test('an event shows its evidence highlighted inside the article', async () => {
  await page.goto(server.url + '/?quad_class=4');
  await ready(page);
  const first = page.locator('#event-rows tr').first();
  const id = await first.getAttribute('data-id');
  await first.locator('a').first().click();
  await page.waitForURL(/view=event/);
  await ready(page);
  const ev = await apiJson('/api/events/' + encodeURIComponent(id));
  const mark = page.locator('#ev-mentions mark.evidence');
  await mark.waitFor();
  assert.equal((await mark.textContent()).trim(), ev.evidence.text.trim());
  const article = await apiJson('/api/articles/' + ev.evidence.article_id);
  const trig = page.locator('#ev-mentions mark.evidence mark.trigger');
  if (await trig.count()) {
    // The trigger's span in the article (offsets in code points); a trigger with a gap
    // ("put … on alert") is marked from its first word to its last.
    const shown = await trig.textContent();
    const span = Array.from(article.article.text).slice(ev.evidence.start, ev.evidence.end).join('');
    assert.equal(shown, span);
    let at = 0;
    for (const part of ev.evidence.trigger.split('…').map((p) => p.trim()).filter(Boolean)) {
      const found = shown.indexOf(part, at);
      assert.ok(found >= 0, `trigger part "${part}" inside the marked "${shown}"`);
      at = found + part.length;
    }
  }
  const shown = await page.locator('#ev-mentions .article-text').textContent();
  assert.equal(shown, article.article.text, 'the whole article is shown, unchanged');
  assert.match(await page.locator('#ev-title').textContent(), new RegExp(ev.plover));
  await page.screenshot({ path: join(ARTIFACTS, 'event.png'), fullPage: true });
});

test('the dyad view ranks country pairs and draws an index', async () => {
  await page.goto(server.url + '/?view=dyads');
  await ready(page);
  const rows = await page.locator('#dyad-rows tr').count();
  const want = await apiJson('/api/aggregates/dyads?limit=30');
  assert.equal(rows, want.dyads.length);
  assert.ok(rows > 0);
  assert.ok(await page.locator('#index-chart rect').count() > 0, 'index bars');
  const second = page.locator('#dyad-rows tr').nth(Math.min(1, rows - 1)).locator('a');
  const label = await second.textContent();
  await second.click();
  await ready(page);
  assert.match(page.url(), /pair=/);
  assert.match(await page.locator('#index-title').textContent(), new RegExp(label.replace(/[→]/g, '.')));
  await page.screenshot({ path: join(ARTIFACTS, 'dyads.png') });
});

test('bad filters show an error message, empty results an empty state', async () => {
  await page.goto(server.url + '/?from=2024-02-30');
  await ready(page);
  assert.equal(await page.locator('#error').isVisible(), true);
  assert.match(await page.locator('#error').textContent(), /from must be a date/);
  await page.goto(server.url + '/?q=zzzyyyxxxnothing');
  await ready(page);
  assert.match(await page.locator('#table-state').textContent(), /No events match/);
  assert.match(await page.locator('#timeline-state').textContent(), /No dated events/);
});

test('article text with markup is shown as text and never runs', async () => {
  const list = await apiJson('/api/events?q=window%20xss');
  assert.ok(list.events.length > 0, 'the hostile article was coded');
  const ev = list.events[0];
  await page.goto(server.url + '/?q=window%20xss');
  await ready(page);
  await page.goto(`${server.url}/?view=event&event=${encodeURIComponent(ev.id)}`);
  await ready(page);
  await page.locator('#ev-mentions mark.evidence').waitFor();
  const heading = await page.locator('#ev-mentions h3').first().textContent();
  assert.match(heading, /<script>window\.__xss=1<\/script>/, 'the title is shown literally');
  const text = await page.locator('#ev-mentions .article-text').textContent();
  assert.match(text, /<iframe src="javascript:window\.__xss=5">/);
  const ran = await page.evaluate(() => window.__xss);
  assert.equal(ran, undefined, 'no injected script ran');
  assert.equal(await page.locator('script').count(), 1, 'only the app script is in the page');
  assert.equal(await page.locator('img, iframe, #ev-mentions b').count(), 0, 'no injected elements');
  assert.deepEqual(pageErrors, []);
  await page.screenshot({ path: join(ARTIFACTS, 'xss.png'), fullPage: true });
});

test('the alerts panel lists fired alerts, as text', async () => {
  // The demo database has no alerts: the panel says so.
  assert.deepEqual((await apiJson('/api/alerts')).alerts, []);
  await page.goto(server.url + '/');
  await ready(page);
  assert.match(await page.locator('#alerts-state').textContent(), /No alerts have fired/);
  // A fired alert with markup in every text field (answered by the test) shows as text.
  const hostile = '<img src=x onerror="window.__xss=7"><script>window.__xss=8</script>';
  const alert = {
    id: 1, rule: 'kenya-unrest' + hostile, episode: 'ep' + hostile, fired_at: '2026-03-14T08:05:00Z',
    title: 'Protests in Nairobi ' + hostile, delivered: false, delivery_error: 'HTTP 500 ' + hostile,
    details: { trigger: 'any', events: [{ id: 'ev' + hostile }] },
  };
  await page.route('**/api/alerts?*', (route) => route.fulfill({ json: { alerts: [alert] } }));
  await page.goto(server.url + '/');
  await ready(page);
  const items = page.locator('#alerts li');
  assert.equal(await items.count(), 1);
  const text = await items.first().textContent();
  assert.ok(text.includes('Protests in Nairobi ' + hostile), text);
  assert.ok(text.includes('kenya-unrest' + hostile), text);
  assert.match(text, /2026-03-14 08:05 UTC/);
  assert.match(text, /1 event/);
  assert.match(text, /webhook not delivered: HTTP 500/);
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no injected script ran');
  assert.equal(await page.locator('#alerts img, #alerts script').count(), 0, 'no injected elements');
  await page.locator('#alerts-panel').screenshot({ path: join(ARTIFACTS, 'alerts.png') });
  await page.unroute('**/api/alerts?*');
  assert.deepEqual(pageErrors, []);
});

test('the dashboard fits a phone screen', async () => {
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(server.url + '/');
  await ready(phone);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the screen`);
  // The filter fields fold away behind a button on a narrow screen.
  assert.equal(await phone.locator('input[name=country]').isVisible(), false);
  await phone.click('#f-toggle');
  assert.equal(await phone.locator('input[name=country]').isVisible(), true);
  const box = await phone.locator('#map svg').boundingBox();
  assert.ok(box.width <= 390 && box.width > 300, `map width ${box.width}`);
  await phone.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: false });
  await phone.close();
});
