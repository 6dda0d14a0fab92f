// End-to-end tests of the browser client: a real pushchat-server, headless Debian Chromium
// driven by playwright-core. Every wait is on a condition, never a fixed sleep.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { promisify } from 'node:util';
import {
  startServer, launchBrowser, openPage, join, switchMode, post, chatLines, waitForText, freePort,
} from './harness.mjs';
import { STRINGS } from '../../resources/web/i18n.js';

const MODES = ['polling', 'longpoll', 'websocket'];
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function withServer(options, body) {
  const server = await startServer(options);
  try {
    await body(server);
  } finally {
    await server.stop();
  }
}

test('the page and its files are served with types, validators and no way out', async () => {
  await withServer({}, async (server) => {
    const index = await fetch(server.url);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
    assert.match(await index.text(), /\/static\/app\.js/);
    const files = { 'app.js': 'text/javascript; charset=utf-8', 'i18n.js': 'text/javascript; charset=utf-8',
      'app.css': 'text/css; charset=utf-8', 'icon.svg': 'image/svg+xml' };
    for (const [name, type] of Object.entries(files)) {
      const response = await fetch(`${server.url}static/${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get('content-type'), type, name);
      assert.equal(response.headers.get('cache-control'), 'no-cache', name);
      const etag = response.headers.get('etag');
      assert.match(etag, /^"[0-9a-f]+"$/, name);
      const again = await fetch(`${server.url}static/${name}`, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304, name);
    }
    // fetch() would normalise "..", so these go out as raw requests.
    for (const path of ['/static/../server/main.cpp', '/static/%2e%2e/CMakeLists.txt',
      '/static/', '/static//etc/passwd', '/static/nothing.js']) {
      const status = await rawStatus(server.port, path);
      assert.equal(status, 404, path);
    }
  });
});

async function rawStatus(port, path) {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (chunk) => { data += chunk; });
    socket.on('end', () => resolve(Number(data.split(' ')[1])));
    socket.on('error', reject);
  });
}

for (const mode of MODES) {
  test(`${mode}: join, send, receive a native client's post, online list`, async () => {
    await withServer({}, async (server) => {
      const page = await openPage(browser);
      await join(page, server.url, 'alice', { mode });
      assert.equal(await page.locator('.modes input:checked').getAttribute('value'), mode);

      await page.fill('#text', `hello from the page over ${mode}`);
      await page.press('#text', 'Enter');
      await waitForText(page, `hello from the page over ${mode}`);

      await post(server.url, 'bob', `hello from curl to ${mode}`);
      await waitForText(page, `hello from curl to ${mode}`);

      const lines = await chatLines(page);
      assert.deepEqual(lines.map((l) => [l.nick, l.own]), [['alice', true], ['bob', false]]);
      assert.ok(lines[0].seq < lines[1].seq);

      // The room's online list shows this page with its transport.
      await page.locator('#online li', { hasText: 'alice' }).waitFor();
      const transportName = { polling: 'polling', longpoll: 'long polling', websocket: 'WebSocket' };
      await assert.doesNotReject(page.locator('#online li', { hasText: 'alice' })
        .locator('.transport', { hasText: transportName[mode] }).waitFor({ timeout: 8000 }));

      // The server charged the page's traffic to the mode.
      const stats = await (await fetch(`${server.url}api/stats`)).json();
      const bucket = { polling: 'polling', longpoll: 'longpoll', websocket: 'websocket' }[mode];
      assert.ok(stats[bucket].requests > 0, JSON.stringify(stats[bucket]));

      // And the page counted messages for the mode.
      const counted = await page.locator(`#stats tr[data-k="messages"] td[data-mode="${mode}"]`).textContent();
      assert.ok(Number(counted) >= 2, counted);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  });
}

async function waitForStored(url, text) {
  for (;;) {
    const page = await (await fetch(new URL('/api/messages?after=0', url))).json();
    if (page.messages.some((message) => message.text === text))
      return;
  }
}

for (const mode of MODES) {
  test(`${mode}: a message refused for going too fast comes back to the input box`, async () => {
    await withServer({ args: ['--rate-limit', '1'] }, async (server) => {
      const page = await openPage(browser);
      await join(page, server.url, 'alice', { mode });
      await page.fill('#text', 'first');
      await page.press('#text', 'Enter');
      // Stored (the page may show it only at its next poll): the next one is too soon now.
      await page.waitForFunction(() => document.querySelector('#text').value === '');
      await waitForStored(server.url, 'first');
      await page.fill('#text', 'second, too soon');
      await page.press('#text', 'Enter');
      await page.locator('#send-error', { hasText: 'too many messages' }).waitFor();
      await page.waitForFunction(() => document.querySelector('#text').value === 'second, too soon');
      // Sent again once the second is over: stored once, whatever the number of tries.
      for (let tries = 0; ; ++tries) {
        await page.press('#text', 'Enter');
        try {
          await waitForText(page, 'second, too soon', 1500);
          break;
        } catch (error) {
          if (tries === 5)
            throw error;
          await page.waitForFunction(() => document.querySelector('#text').value !== '');
        }
      }
      const texts = (await chatLines(page)).map((line) => line.text);
      assert.deepEqual(texts.filter((text) => text === 'second, too soon'), ['second, too soon']);
      await page.context().close();
    });
  });
}

test('switching modes while messages stream loses and repeats nothing', async () => {
  await withServer({ args: ['--rate-limit', '0'] }, async (server) => {
    const page = await openPage(browser);
    await join(page, server.url, 'watcher', { mode: 'polling' });
    await page.locator('#interval').fill('0'); // poll every 100 ms
    const total = 150;
    // The producer paces itself so that the switches below fall inside the stream.
    const streaming = (async () => {
      for (let i = 1; i <= total; ++i) {
        await post(server.url, 'streamer', `n${i}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    // Switch through every pair of modes while the stream runs.
    const sequence = ['longpoll', 'websocket', 'polling', 'websocket', 'longpoll', 'polling',
      'longpoll', 'websocket'];
    for (const [index, mode] of sequence.entries()) {
      await page.waitForFunction((n) => document.querySelectorAll('#log li.msg').length >= n,
        (index + 1) * 15, { timeout: 15000 });
      await switchMode(page, mode);
      await page.locator('#conn[data-state="connected"]').waitFor();
    }
    await streaming;
    await page.waitForFunction((n) => document.querySelectorAll('#log li.msg').length >= n, total,
      { timeout: 30000 });
    const lines = await chatLines(page);
    assert.deepEqual(lines.map((l) => l.text), Array.from({ length: total }, (_, i) => `n${i + 1}`));
    const seqs = await page.$$eval('#log li[data-seq]', (items) => items.map((li) => Number(li.dataset.seq)));
    for (let i = 1; i < seqs.length; ++i)
      assert.equal(seqs[i], seqs[i - 1] + 1, `seq ${seqs[i]} after ${seqs[i - 1]}`);
    // Each mode delivered some of them.
    for (const mode of MODES) {
      const counted = await page.locator(`#stats tr[data-k="messages"] td[data-mode="${mode}"]`).textContent();
      assert.ok(Number(counted) > 0, `${mode} delivered ${counted}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

test('markup in messages and nicks is shown literally and runs nothing', async () => {
  await withServer({}, async (server) => {
    const script = '<script>alert(1)</script>';
    const image = '<img src=x onerror="window.pwned=1;alert(2)">';
    const pages = [];
    for (const mode of MODES) {
      const page = await openPage(browser);
      await join(page, server.url, `viewer-${mode}`, { mode });
      pages.push(page);
    }
    await pages[0].fill('#text', script);
    await pages[0].press('#text', 'Enter');
    await post(server.url, '<b onclick=alert(3)>mal</b>', image);
    for (const page of pages) {
      await waitForText(page, script);
      await waitForText(page, image);
      const lines = await chatLines(page);
      assert.ok(lines.some((l) => l.text === script));
      assert.ok(lines.some((l) => l.text === image && l.nick === '<b onclick=alert(3)>mal</b>'));
      assert.equal(await page.locator('#log img, #log script, #log b, #online b').count(), 0);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
      assert.deepEqual(page.problems, []);
    }
    for (const page of pages)
      await page.context().close();
  });
});

test('the limits come from the room: text counted in UTF-8 bytes, the nick in characters', async () => {
  await withServer({ args: ['--max-text', '12'] }, async (server) => {
    const { limits } = await (await fetch(new URL('/api/room', server.url))).json();
    assert.equal(limits.max_text_bytes, 12);
    const page = await openPage(browser);
    await page.goto(`${server.url}?lang=en`);
    await page.fill('#nick', 'n'.repeat(limits.max_nick_chars + 1));
    await page.click('#join-button');
    await page.locator('#join-error', { hasText: `at most ${limits.max_nick_chars} characters` }).waitFor();
    assert.ok(await page.locator('#chat-view').isHidden());

    // Characters outside the BMP are two UTF-16 units each but one character to the server.
    const emojiNick = '😀'.repeat(limits.max_nick_chars);
    await join(page, server.url, emojiNick);
    await page.locator('#online li', { hasText: emojiNick }).waitFor();
    const shownNicks = await page.$$eval('#online .nick', (spans) => spans.map((s) => s.firstChild.textContent));
    assert.deepEqual(shownNicks, [emojiNick]);
    const tooLong = '你好世界你好'; // 6 characters, 18 bytes
    await page.fill('#text', tooLong);
    await page.press('#text', 'Enter');
    await page.locator('#send-error', { hasText: 'too long: 18 bytes, at most 12' }).waitFor();
    assert.equal(await page.inputValue('#text'), tooLong);
    await page.fill('#text', '你好世界'); // 12 bytes: just fits
    await page.press('#text', 'Enter');
    await waitForText(page, '你好世界');
    const stored = await (await fetch(new URL('/api/messages?after=0', server.url))).json();
    assert.deepEqual(stored.messages.filter((m) => m.kind === 'chat').map((m) => m.text), ['你好世界']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

test('a long message is folded with a button to show it all, a short one is not', async () => {
  await withServer({}, async (server) => {
    const page = await openPage(browser);
    await join(page, server.url, 'reader');
    const long = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' '); // ≈3.5 KB
    await post(server.url, 'writer', long);
    await post(server.url, 'writer', 'short one');
    await waitForText(page, 'short one');
    const line = page.locator('#log li.msg', { hasText: 'word399' });
    const overflow = () => line.locator('.text').evaluate((el) => el.scrollHeight - el.clientHeight);
    assert.equal(await line.locator('.text').textContent(), long);
    assert.ok(await overflow() > 0, 'folded');
    await line.locator('button.fold', { hasText: 'Show more' }).click();
    await line.locator('button.fold', { hasText: 'Show less' }).waitFor();
    assert.equal(await overflow(), 0);
    await page.click('#lang');
    await line.locator('button.fold', { hasText: '收起' }).waitFor();
    await line.locator('button.fold').click();
    await line.locator('button.fold', { hasText: '展开全文' }).waitFor();
    assert.ok(await overflow() > 0, 'folded again');
    assert.equal(await page.locator('#log li.msg', { hasText: 'short one' }).locator('button').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

test('a room key is asked for, and a wrong one is refused with a clear message', async () => {
  await withServer({ args: ['--key', 's3cret', '--name', 'Keyed room'] }, async (server) => {
    const page = await openPage(browser);
    await page.goto(`${server.url}?lang=en`);
    await page.locator('#key').waitFor({ state: 'visible' });
    await page.fill('#nick', 'carol');
    await page.click('#join-button');
    await page.locator('#join-error', { hasText: 'This room needs a key.' }).waitFor();
    await page.fill('#key', 'wrong');
    await page.click('#join-button');
    await page.locator('#join-error', { hasText: 'Wrong room key' }).waitFor();
    assert.ok(await page.locator('#chat-view').isHidden());

    // The same in Chinese.
    await page.click('#lang');
    await page.click('#join-button');
    await page.locator('#join-error', { hasText: '房间密钥错误' }).waitFor();
    await page.click('#lang');

    await page.fill('#key', 's3cret');
    await page.click('#join-button');
    await page.locator('#conn[data-state="connected"]').waitFor();
    await page.locator('#room-name', { hasText: 'Keyed room' }).waitFor();
    await post(server.url, 'dave', 'keyed hello', { key: 's3cret' });
    await waitForText(page, 'keyed hello');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

test('the page reconnects in every mode after the server restarts', async () => {
  const port = await freePort();
  let server = await startServer({ port });
  const pages = {};
  try {
    for (const mode of MODES) {
      pages[mode] = await openPage(browser);
      await join(pages[mode], server.url, `survivor-${mode}`, { mode });
    }
    for (let i = 1; i <= 3; ++i)
      await post(server.url, 'bob', `before restart ${i}`);
    for (const page of Object.values(pages))
      await waitForText(page, 'before restart 3');

    await server.stop('SIGKILL');
    for (const page of Object.values(pages))
      await page.locator('#conn[data-state="reconnecting"]').waitFor({ timeout: 30000 });

    server = await startServer({ port });
    for (const page of Object.values(pages)) {
      await page.locator('#conn[data-state="connected"]').waitFor({ timeout: 20000 });
      await page.locator('#log li.reset').waitFor({ timeout: 20000 });
    }
    await post(server.url, 'bob', 'after restart');
    for (const [mode, page] of Object.entries(pages)) {
      await waitForText(page, 'after restart');
      const texts = (await chatLines(page)).map((l) => l.text);
      assert.deepEqual(texts, ['before restart 1', 'before restart 2', 'before restart 3',
        'after restart'], mode);
      assert.deepEqual(page.problems, [], mode);
    }
  } finally {
    for (const page of Object.values(pages))
      await page.context().close();
    await server.stop();
  }
});

test('phone-sized screen: join and chat work without horizontal scrolling', async () => {
  await withServer({}, async (server) => {
    const page = await openPage(browser, { viewport: { width: 375, height: 740 },
      isMobile: true, hasTouch: true, deviceScaleFactor: 2, colorScheme: 'dark' });
    await join(page, server.url, 'phone', { mode: 'websocket', lang: 'zh' });
    await page.locator('#conn', { hasText: '已连接' }).waitFor();
    await post(server.url, 'bob', 'to the phone');
    await waitForText(page, 'to the phone');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(15, 20, 27)'); // the dark palette
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

// What a phone's camera would read: zbarimg (Debian's zbar-tools) on a picture of the element.
async function scanQrCode(locator) {
  const dir = await mkdtemp(joinPath(tmpdir(), 'pushchat-qr-'));
  try {
    const picture = joinPath(dir, 'qr.png');
    await locator.screenshot({ path: picture });
    const { stdout } = await promisify(execFile)('zbarimg', ['--raw', '-q', picture]);
    return stdout.replace(/\n$/, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the QR code dialog shows the join address, drawn by the server, and it scans', async () => {
  await withServer({}, async (server) => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 720 } });
    // Before joining: a teacher projects the join screen. The language is the reader's own and
    // stays out of the code; the mode stays in it.
    await page.goto(`${server.url}?mode=websocket&lang=en`);
    const address = `${server.url}?mode=websocket`;
    await page.click('#qr-button');
    const dialog = page.locator('#qr-dialog[open]');
    await dialog.waitFor();
    assert.equal(await dialog.locator('#qr-title').textContent(), 'Scan to join');
    assert.equal(await page.locator('#qr-url').textContent(), address);
    // 127.0.0.1 is no use to a phone, and the dialog says so.
    await page.locator('#qr-loopback').waitFor({ state: 'visible' });

    const image = page.locator('#qr-image');
    await page.waitForFunction(() => {
      const img = document.getElementById('qr-image');
      return img.complete && img.naturalWidth > 0;
    });
    const source = new URL(await image.getAttribute('src'), server.url);
    assert.equal(source.pathname, '/api/qr.svg');
    assert.equal(source.searchParams.get('text'), address);
    const served = await fetch(source);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('content-type'), 'image/svg+xml');
    assert.equal(served.headers.get('cache-control'), 'no-store');
    assert.match(await served.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const box = await image.boundingBox();
    assert.ok(box.width >= 300 && box.height >= 300, `a ${box.width}×${box.height} code is too small to project`);
    assert.equal(await scanQrCode(image), address);

    // Anything but an http(s) URL is refused with a JSON error.
    for (const text of ['javascript:alert(1)', 'hello', `http://127.0.0.1/?q=${'x'.repeat(1024)}`]) {
      const refused = await fetch(new URL(`/api/qr.svg?text=${encodeURIComponent(text)}`, server.url));
      assert.equal(refused.status, 400, text);
      assert.ok((await refused.json()).error, text);
    }

    await page.click('#qr-close');
    await page.locator('#qr-dialog').waitFor({ state: 'hidden' });
    // In Chinese, and closed with Escape.
    await page.click('#lang');
    await page.click('#qr-button');
    await dialog.waitFor();
    assert.equal(await page.locator('#qr-button').textContent(), '二维码');
    assert.equal(await dialog.locator('#qr-title').textContent(), '扫码加入');
    assert.equal(await page.locator('#qr-url').textContent(), address);
    await page.keyboard.press('Escape');
    await page.locator('#qr-dialog').waitFor({ state: 'hidden' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

test('How it works explains each mode, follows the mode chosen, in both languages', async () => {
  await withServer({}, async (server) => {
    const page = await openPage(browser);
    await join(page, server.url, 'alice', { mode: 'polling', lang: 'en' });
    const pane = page.locator('#how');
    assert.equal(await pane.isHidden(), true);
    await page.click('#how-button');
    assert.equal(await page.locator('#how-button').getAttribute('aria-expanded'), 'true');
    for (const lang of ['en', 'zh']) {
      if (lang === 'zh')
        await page.click('#lang'); // switched live, with the pane open
      assert.equal(await page.locator('#how-button').textContent(), STRINGS[lang].howButton);
      for (const mode of MODES) {
        await switchMode(page, mode);
        await page.locator(`#how[data-mode="${mode}"]`).waitFor();
        const modeName = STRINGS[lang][{ polling: 'modePolling', longpoll: 'modeLongpoll',
          websocket: 'modeWebsocket' }[mode]];
        await page.locator('#how-title', { hasText: modeName }).waitFor();
        const parts = await page.$$eval('#how dd', (items) =>
          Object.fromEntries(items.map((dd) => [dd.dataset.how, dd.textContent])));
        const expected = Object.fromEntries(['client', 'server', 'cost', 'choice']
          .map((part) => [part, STRINGS[lang][`how_${mode}_${part}`]]));
        assert.deepEqual(parts, expected, `${lang} ${mode}`);
        for (const text of Object.values(parts))
          assert.ok(text.length > 40, `${lang} ${mode}: ${text}`);
        const labels = await page.$$eval('#how dt', (items) => items.map((dt) => dt.textContent));
        assert.deepEqual(labels, [STRINGS[lang].howClient, STRINGS[lang].howServer,
          STRINGS[lang].howCost, STRINGS[lang].howChoice]);
      }
    }
    // The texts name the protocol as it is.
    assert.match(STRINGS.en.how_longpoll_client, /wait=25\b/);
    assert.match(STRINGS.zh.how_longpoll_client, /wait=25\b/);
    assert.match(STRINGS.en.how_websocket_client, /\/ws\?after=N/);
    await page.click('#how-button');
    await pane.waitFor({ state: 'hidden' });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

test('a room with a key shows its QR code before anyone has joined', async () => {
  await withServer({ args: ['--key', 's3cret'] }, async (server) => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 720 } });
    await page.goto(`${server.url}?lang=zh`);
    await page.locator('#key-row').waitFor({ state: 'visible' });
    await page.click('#qr-button');
    await page.waitForFunction(() => {
      const img = document.getElementById('qr-image');
      return img.complete && img.naturalWidth > 0;
    });
    assert.equal(await page.locator('#qr-error').textContent(), '');
    // The code carries the address only: the key is typed on each phone.
    assert.equal(await scanQrCode(page.locator('#qr-image')), server.url);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
