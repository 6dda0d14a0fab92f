// Faults on demand against the browser client (docs/PROTOCOL.md, "Faults on demand"): a real
// pushchat-server running a fault script, one headless Chromium page per mode. Every page must
// come back by itself and show every message exactly once; the time each took to deliver the
// first message after each fault is printed (docs/RELIABILITY.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { startServer, launchBrowser, openPage, join, switchMode, chatLines, waitForText } from './harness.mjs';

const MODES = ['polling', 'longpoll', 'websocket'];
let browser;
let scratch;

before(async () => {
  browser = await launchBrowser();
  scratch = await mkdtemp(joinPath(tmpdir(), 'pushchat-faults-'));
});

after(async () => {
  await browser?.close();
  if (scratch)
    await rm(scratch, { recursive: true, force: true });
});

// Posts like a native client that retries with its client_id until stored: the server stores
// each once, even when a first try was caught by a drop or a restart.
async function postOnce(url, text) {
  const body = JSON.stringify({ nick: 'native', text, client_id: `native-${text}` });
  for (;;) {
    try {
      const response = await fetch(new URL('/api/messages', url), {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
      });
      if (response.status === 201)
        return;
    } catch {
      // Dropped or restarting: try again.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Notes when each chat line first appears on the page, by its text (the page's clock).
async function recordArrivals(page) {
  await page.evaluate(() => {
    window.arrivals = {};
    new MutationObserver(() => {
      for (const node of document.querySelectorAll('#log li.msg .text')) {
        if (!(node.textContent in window.arrivals))
          window.arrivals[node.textContent] = Date.now();
      }
    }).observe(document.getElementById('log'), { childList: true, subtree: true });
  });
}

test('every mode comes back from drops, latency and a restart, missing and repeating nothing', async () => {
  const script = joinPath(scratch, 'lesson.faults');
  await writeFile(script, '# the scenario of docs/RELIABILITY.md\n' +
    '5s drop\n6s latency 300\n7500ms restart\n9s latency 0\n10s drop\n');
  const server = await startServer({ args: ['--rate-limit', '0', '--fault-script', script] });
  const faults = []; // { label, at } as the server printed them
  server.proc.stdout.on('data', (chunk) => {
    for (const match of String(chunk).matchAll(/^fault: (.*)$/gm))
      faults.push({ label: match[1], at: Date.now() });
  });
  const pages = {};
  try {
    for (const mode of MODES) {
      pages[mode] = await openPage(browser);
      await join(pages[mode], server.url, `page-${mode}`, { mode });
      await recordArrivals(pages[mode]);
    }
    // A message every 100 ms until the script is over, and ten more.
    const posted = []; // { text, at }
    for (let after = 0; after < 10; ++after) {
      if (faults.length < 5)
        after = -1;
      const text = `tick ${posted.length}`;
      const at = Date.now();
      await postOnce(server.url, text);
      posted.push({ text, at });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(posted.length < 400, `the script did not run: ${JSON.stringify(faults)}`);
    }
    const expected = posted.map((p) => p.text);
    for (const [mode, page] of Object.entries(pages)) {
      await waitForText(page, expected.at(-1), 30000);
      const texts = (await chatLines(page)).map((l) => l.text);
      assert.deepEqual(texts, expected, mode);
      assert.deepEqual(page.problems, [], mode);
      const arrivals = await page.evaluate(() => window.arrivals);
      // Recovery: from the fault to the arrival of the first message posted after it.
      const recovery = faults.map(({ label, at }) => {
        const first = posted.find((p) => p.at >= at);
        return `${label} ${arrivals[first.text] - at} ms`;
      });
      console.log(`faults, ${mode}: ${recovery.join(', ')}`);
    }
    assert.deepEqual(faults.map((f) => f.label),
      ['drop all', 'latency 300 ms', 'restart', 'latency off', 'drop all']);
  } finally {
    for (const page of Object.values(pages))
      await page.context().close();
    await server.stop();
  }
});

test('a network refusing WebSocket: the page says so, and long polling gets through', async () => {
  const server = await startServer({ args: ['--block', 'websocket'] });
  const page = await openPage(browser);
  try {
    await page.goto(`${server.url}?mode=websocket&lang=en`);
    await page.fill('#nick', 'blocked');
    await page.click('#join-button');
    const state = page.locator('#conn[data-state="blocked"]');
    await state.waitFor({ timeout: 15000 });
    assert.match(await state.textContent(), /WebSocket is refused on the way to the server/);

    await switchMode(page, 'longpoll');
    await page.locator('#conn[data-state="connected"]').waitFor({ timeout: 15000 });
    await page.fill('#text', 'through long polling');
    await page.press('#text', 'Enter');
    await waitForText(page, 'through long polling');
    assert.deepEqual((await chatLines(page)).map((l) => l.text), ['through long polling']);

    // In Chinese too.
    await page.goto(`${server.url}?mode=websocket&lang=zh`);
    await page.fill('#nick', 'blocked');
    await page.click('#join-button');
    await page.locator('#conn[data-state="blocked"]').waitFor({ timeout: 15000 });
    assert.match(await page.locator('#conn').textContent(), /被拒绝/);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.context().close();
    await server.stop();
  }
});
