// Makes docs/browser.png: a room with a browser user in each mode and a native client.
//   node screenshot.mjs [out.png] [--dark] [--phone] [--lang=zh] [--size=1280x720] [--qr] [--how]
// --qr shows the join QR code dialog, --how the How it works pane (of WebSocket, the last mode).
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { startServer, launchBrowser, openPage, join, switchMode, post, waitForText } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const out = resolve(args.find((a) => !a.startsWith('--')) || resolve(here, '../../docs/browser.png'));
const dark = args.includes('--dark');
const phone = args.includes('--phone');
const qr = args.includes('--qr');
const how = args.includes('--how');
const lang = (args.find((a) => a.startsWith('--lang=')) || '--lang=en').slice(7);
const [width, height] = (args.find((a) => a.startsWith('--size=')) || '--size=1280x800')
  .slice(7).split('x').map(Number);

const server = await startServer({ args: ['--name', 'Networks 101'] });
const browser = await launchBrowser();
try {
  const viewport = phone ? { width: 390, height: 844 } : { width, height };
  const alice = await openPage(browser, { viewport, colorScheme: dark ? 'dark' : 'light',
    deviceScaleFactor: phone ? 2 : 1, isMobile: phone, hasTouch: phone });
  const bob = await openPage(browser);
  const chen = await openPage(browser);
  await join(alice, server.url, 'alice', { mode: 'polling', lang });
  await join(bob, server.url, 'bob', { mode: 'longpoll' });
  await join(chen, server.url, '陈老师', { mode: 'websocket' });

  const say = async (page, text) => {
    await page.fill('#text', text);
    await page.press('#text', 'Enter');
    await waitForText(alice, text);
  };
  await say(chen, 'Welcome! Watch the counters on the right while we chat.');
  await say(bob, 'I am on long polling: my request waits at the server.');
  await post(server.url, 'terminal', 'Posted with curl from a terminal.');
  await waitForText(alice, 'Posted with curl');
  await say(alice, 'Polling here — most of my requests come back empty.');
  await switchMode(alice, 'longpoll');
  await alice.locator('#conn[data-state="connected"]').waitFor();
  await say(chen, '长轮询：有消息才返回。');
  await say(alice, 'Now on long polling.');
  await switchMode(alice, 'websocket');
  await alice.locator('#conn[data-state="connected"]').waitFor();
  await say(bob, '<b>this stays plain text</b>');
  await say(chen, 'WebSocket: one connection, frames pushed.');
  await say(alice, 'And now WebSocket.');
  await alice.locator('#online li', { hasText: 'terminal' }).waitFor();
  await alice.locator('#online li', { hasText: 'alice' }).locator('.t-websocket').waitFor({ timeout: 8000 });
  if (how) {
    await alice.click('#how-button');
    await alice.locator('#how[data-mode="websocket"]').waitFor();
  }
  if (qr) {
    await alice.click('#qr-button');
    await alice.locator('#qr-dialog[open] #qr-image').waitFor();
    await alice.waitForFunction(() => document.getElementById('qr-image').complete &&
      document.getElementById('qr-image').naturalWidth > 0);
  }
  await alice.evaluate(() => document.activeElement?.blur());
  await alice.screenshot({ path: out, fullPage: phone });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
