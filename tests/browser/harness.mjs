// Shared helpers for the browser tests: a real pushchat-server, headless Debian Chromium.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

export const serverBinary = process.env.PUSHCHAT_SERVER ||
  [resolve(here, '../../build/server/pushchat-server'),
    resolve(here, '../../build-tests/server/pushchat-server')].find((p) => existsSync(p));

export const chromiumPath = process.env.PUSHCHAT_CHROMIUM || '/usr/bin/chromium';

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

// A free loopback port, for tests that must restart the server on the same one.
export async function freePort() {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  await once(probe, 'close');
  return port;
}

// Starts pushchat-server and resolves once it printed its URL.
export async function startServer({ port = 0, args = [] } = {}) {
  if (!serverBinary)
    throw new Error('pushchat-server not found: build it or set PUSHCHAT_SERVER');
  const proc = spawn(serverBinary, ['--port', String(port), '--bind', '127.0.0.1', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stderr.on('data', (chunk) => { output += chunk; });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15000);
    proc.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[0]);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    proc,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null)
        return;
      proc.kill(signal);
      await once(proc, 'exit');
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

// A page that fails the test on any dialog (alert, confirm…) or uncaught page error.
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = [];
  page.on('dialog', async (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.problems = problems;
  return page;
}

// Opens the room, joins with a nick (and key) in a mode, and waits until connected.
export async function join(page, url, nick, { mode = 'polling', key, lang = 'en' } = {}) {
  await page.goto(`${url}?mode=${mode}&lang=${lang}`);
  await page.fill('#nick', nick);
  if (key !== undefined) {
    await page.locator('#key').waitFor({ state: 'visible' });
    await page.fill('#key', key);
  }
  await page.click('#join-button');
  await page.locator('#conn[data-state="connected"]').waitFor({ timeout: 10000 });
}

export async function switchMode(page, mode) {
  await page.locator(`.modes input[value="${mode}"] + span`).click();
}

// A native client: a plain HTTP POST, as curl would send it.
export async function post(url, nick, text, { key } = {}) {
  const target = new URL('/api/messages', url);
  if (key)
    target.searchParams.set('key', key);
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ nick, text }),
  });
  if (response.status !== 201)
    throw new Error(`post answered ${response.status}: ${await response.text()}`);
  return response.json();
}

// The chat lines on the page, in order.
export async function chatLines(page) {
  return page.$$eval('#log li.msg', (items) => items.map((li) => ({
    seq: Number(li.dataset.seq),
    nick: li.querySelector('.nick').firstChild.textContent,
    text: li.querySelector('.text').textContent,
    own: li.classList.contains('own'),
  })));
}

export async function waitForText(page, text, timeout = 10000) {
  await page.locator('#log li.msg .text', { hasText: text }).first().waitFor({ timeout });
}
