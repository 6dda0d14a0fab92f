// Compares the page's byte figures (bodies exact, headers estimated) with what the server
// counted at the socket, per mode:  node measure-bytes.mjs
import { startServer, launchBrowser, openPage, join, post, waitForText } from './harness.mjs';

const server = await startServer({ args: ['--rate-limit', '0'] });
const browser = await launchBrowser();
try {
  for (const mode of ['polling', 'longpoll', 'websocket']) {
    const before = await (await fetch(`${server.url}api/stats`)).json();
    const page = await openPage(browser);
    await join(page, server.url, `m-${mode}`, { mode });
    if (mode === 'polling')
      await page.locator('#interval').fill('25'); // ~316 ms
    for (let i = 1; i <= 20; ++i) {
      await page.fill('#text', `measure ${mode} ${i}`);
      await page.press('#text', 'Enter');
      await waitForText(page, `measure ${mode} ${i}`);
    }
    const figures = await page.evaluate((m) => Object.fromEntries(
      [...document.querySelectorAll(`#stats td[data-mode="${m}"]`)]
        .map((td) => [td.parentElement.dataset.k, td.textContent])), mode);
    await page.context().close();
    const after = await (await fetch(`${server.url}api/stats`)).json();
    const bucket = mode;
    const d = (k) => after[bucket][k] - before[bucket][k];
    console.log(mode, 'page:', JSON.stringify(figures),
      `server: requests ${d('requests')} bytes_in ${d('bytes_in')} bytes_out ${d('bytes_out')}`);
  }
} finally {
  await browser.close();
  await server.stop();
}
