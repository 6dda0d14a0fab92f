// Unit tests of the browser client's pure modules (resources/web/): the wire format, the
// server clock, the cost figures, and the polling loop against a stand-in fetch(). No browser
// and no server needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiUrl, characterCount, decodeError, decodeFrame, decodeLimits, decodePage, decodeRoom,
  encodePost, encodeSendFrame, frameSize, isLoopbackHost, joinAddress, socketUrl, utf8Length,
} from '../../resources/web/wire.js';
import { ServerClock } from '../../resources/web/clock.js';
import { ModeCost, costsByMode } from '../../resources/web/cost.js';
import { PollTransport } from '../../resources/web/transports.js';
import { STRINGS } from '../../resources/web/i18n.js';
import { readFileSync } from 'node:fs';

// The page's address, as a browser would have it.
globalThis.location = new URL('http://127.0.0.1:8765/?lang=zh');
globalThis.navigator ??= { userAgent: 'node' };

test('text is counted in UTF-8 bytes, nicks in characters, as the server counts them', () => {
  assert.equal(utf8Length('hello'), 5);
  assert.equal(utf8Length('你好'), 6);
  assert.equal(utf8Length('😀'), 4);
  assert.equal(characterCount('😀😀'), 2);
  assert.equal(characterCount('陈老师'), 3);
  assert.equal('😀😀'.length, 4); // what <input maxlength> counts
});

test('frame sizes follow RFC 6455 at each length boundary', () => {
  const rows = [
    [0, false, 2], [125, false, 127], [126, false, 130], [65535, false, 65539],
    [65536, false, 65546], [125, true, 131], [126, true, 134], [65536, true, 65550],
  ];
  for (const [payload, masked, size] of rows)
    assert.equal(frameSize(payload, masked), size, `${payload} bytes, masked ${masked}`);
});

test('addresses leave out empty parameters and follow the page to ws: or wss:', () => {
  assert.equal(apiUrl('/api/messages', { after: 0, wait: undefined, nick: 'a b', key: '' }),
    'http://127.0.0.1:8765/api/messages?after=0&nick=a+b');
  assert.equal(socketUrl({ nick: '陈', after: 3 }), 'ws://127.0.0.1:8765/ws?nick=%E9%99%88&after=3');
  assert.equal(socketUrl({ after: 3, epoch: '0123456789abcdef' }),
    'ws://127.0.0.1:8765/ws?after=3&epoch=0123456789abcdef');
  assert.equal(socketUrl({ after: 0, epoch: '' }), 'ws://127.0.0.1:8765/ws?after=0');
  const page = globalThis.location;
  globalThis.location = new URL('https://room.example/');
  try {
    assert.equal(socketUrl({ after: 1 }), 'wss://room.example/ws?after=1');
  } finally {
    globalThis.location = page;
  }
});

test('bodies and frames sent round-trip through JSON with the protocol names', () => {
  assert.deepEqual(JSON.parse(encodePost('alice', '<b>hi</b>', 'p-1')),
    { nick: 'alice', text: '<b>hi</b>', client_id: 'p-1' });
  assert.deepEqual(JSON.parse(encodeSendFrame(7, '你好', 'p-2')),
    { type: 'send', text: '你好', id: 7, client_id: 'p-2' });
});

test('pages decode to the fields the page uses, and anything else to null', () => {
  const message = { seq: 5, ts: 1764100000123, nick: 'bob', text: 'hi', kind: 'chat' };
  assert.deepEqual(decodePage(JSON.stringify({ messages: [message], last_seq: 5,
    epoch: '0123456789abcdef', now: 9 })),
  { messages: [message], reset: false, gap: false, more: false, lastSeq: 5,
    epoch: '0123456789abcdef', now: 9 });
  assert.deepEqual(decodePage('{"messages":[],"reset":true,"gap":true,"last_seq":40}'),
    { messages: [], reset: true, gap: true, more: false, lastSeq: 40, epoch: '', now: undefined });
  assert.equal(decodePage(JSON.stringify({ messages: [message], last_seq: 9, more: true })).more, true);
  assert.deepEqual(decodePage('{"messages":"nope"}').messages, []);
  for (const body of ['', 'null', '42', '"text"', '{"messages":', '<html>'])
    assert.equal(decodePage(body), null, JSON.stringify(body));
});

test('frames and error answers decode without throwing on bad input', () => {
  assert.deepEqual(decodeFrame('{"type":"hello","now":1,"reset":1}'),
    { type: 'hello', now: 1, reset: false, gap: false, epoch: '' });
  assert.equal(decodeFrame('{"type":"hello","epoch":"00000000000000ff"}').epoch, '00000000000000ff');
  assert.deepEqual(decodeFrame('{"type":"ack","id":3}'), { type: 'ack', id: 3 });
  assert.equal(decodeFrame('null'), null);
  assert.equal(decodeFrame('not json'), null);
  assert.equal(decodeError('{"error":"\\"text\\" longer than 12 bytes"}', 'Bad Request'),
    '"text" longer than 12 bytes');
  assert.equal(decodeError('<html>', 'Bad Request'), 'Bad Request');
  assert.equal(decodeError('{}', 'Too Many Requests'), 'Too Many Requests');
});

test('the room decodes its name, key, sorted online list and limits', () => {
  const room = decodeRoom({
    name: 'Networks 101', key_required: false, now: 12,
    online: [{ nick: 'bob', transport: 'longpoll' }, null, { nick: 7 }, { nick: 'alice', transport: 'websocket' }],
    limits: { max_text_bytes: 4096, max_nick_chars: 32, history: 10000 },
  });
  assert.equal(room.name, 'Networks 101');
  assert.equal(room.keyRequired, false);
  assert.deepEqual(room.online.map((m) => m.nick), ['alice', 'bob']);
  assert.deepEqual(room.limits, { maxTextBytes: 4096, maxNickChars: 32 });
  assert.equal(room.now, 12);
  assert.equal(decodeRoom({ name: 'x' }).online, null);
});

test('a limit the server does not state is left to the server', () => {
  assert.deepEqual(decodeLimits(undefined), { maxTextBytes: Infinity, maxNickChars: Infinity });
  assert.deepEqual(decodeLimits({ max_text_bytes: 0, max_nick_chars: '32' }),
    { maxTextBytes: Infinity, maxNickChars: Infinity });
  assert.deepEqual(decodeLimits({ max_text_bytes: 12, max_nick_chars: 2.5 }),
    { maxTextBytes: 12, maxNickChars: Infinity });
});

test('the server clock keeps the offset of the shortest round trip', () => {
  let changes = 0;
  const clock = new ServerClock(() => { changes += 1; });
  assert.equal(clock.known, false);
  clock.addSample(1000, 1100, 5050);  // round trip 100 ms, offset 4000
  assert.deepEqual([clock.offsetMs, clock.bestRoundTripMs], [4000, 100]);
  clock.addSample(2000, 2010, 6500);  // 10 ms: better, offset 4495
  clock.addSample(3000, 3300, 9000);  // 300 ms: worse, ignored
  assert.deepEqual([clock.offsetMs, clock.bestRoundTripMs], [4495, 10]);
  clock.addSample(4000, 4001, undefined); // no server time: no sample
  assert.equal(changes, 3);
  assert.equal(clock.toLocal(10000), 10000 - 4495);
  // Only the recent samples count: sixteen longer ones push the 10 ms one out.
  for (let i = 0; i < 16; ++i)
    clock.addSample(5000, 5050, 10025);
  assert.deepEqual([clock.offsetMs, clock.bestRoundTripMs], [5000, 50]);
});

test('latency quantiles pick from the samples kept, none before the first', () => {
  const cost = new ModeCost();
  assert.deepEqual(cost.latencyQuantiles(0.5, 0.95), [null, null]);
  for (let ms = 100; ms >= 1; --ms)
    cost.addLatency(ms);
  assert.deepEqual(cost.latencyQuantiles(0.5, 0.95, 1), [51, 96, 100]);
  for (let i = 0; i < 2000; ++i)
    cost.addLatency(7);
  assert.deepEqual(cost.latencyQuantiles(0, 1), [7, 7]); // the oldest dropped out
});

test('the QR code\'s join address is the page minus the reader\'s language, key and fragment', () => {
  assert.equal(joinAddress('http://192.168.1.20:8765/?lang=zh&mode=websocket#log'),
    'http://192.168.1.20:8765/?mode=websocket');
  assert.equal(joinAddress('http://192.168.1.20:8765/?key=s3cret&lang=en'), 'http://192.168.1.20:8765/');
  assert.equal(joinAddress('https://chat.example.org/room/'), 'https://chat.example.org/room/');
  assert.equal(joinAddress('http://[fe80::1]:8765/?mode=longpoll'), 'http://[fe80::1]:8765/?mode=longpoll');
});

test('loopback hosts are told apart from addresses a phone can reach', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', 'app.localhost', '[::1]', '::1'])
    assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['192.168.1.20', '10.0.0.5', '[fe80::1]', 'chat.example.org', '127.0.0.1.example.org'])
    assert.equal(isLoopbackHost(host), false, host);
});

test('How it works: every text in both languages, the same in docs/HOW-IT-WORKS.md', () => {
  const doc = readFileSync(new URL('../../docs/HOW-IT-WORKS.md', import.meta.url), 'utf8');
  for (const lang of ['en', 'zh']) {
    for (const mode of ['polling', 'longpoll', 'websocket']) {
      for (const part of ['client', 'server', 'cost', 'choice']) {
        const text = STRINGS[lang][`how_${mode}_${part}`];
        assert.ok(text, `${lang} how_${mode}_${part} missing`);
        assert.ok(doc.includes(text), `docs/HOW-IT-WORKS.md lacks ${lang} how_${mode}_${part}`);
      }
    }
  }
  assert.deepEqual(Object.keys(STRINGS.zh).sort(), Object.keys(STRINGS.en).sort());
});

test('polling follows a page that says "more" at once, from its last message, then pauses', async () => {
  const message = (seq) => ({ seq, ts: 1, nick: 'eve', text: `m${seq}`, kind: 'chat' });
  const pages = [
    { messages: [message(1), message(2)], last_seq: 5, gap: false, more: true, now: 1 },
    { messages: [message(3), message(4)], last_seq: 5, gap: false, more: true, now: 1 },
    { messages: [message(5)], last_seq: 5, gap: false, now: 1 },
  ];
  const asked = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    asked.push(new URL(url).searchParams.get('after'));
    return new Response(JSON.stringify(pages[asked.length - 1]),
      { status: 200, headers: { 'Content-Type': 'application/json' } });
  };
  let cursor = 0;
  let pauses = 0;
  let transport;
  const delivered = [];
  const caughtUp = new Promise((resolve) => {
    const session = {
      nick: 'reader', key: '', clock: new ServerClock(() => {}), costs: costsByMode(),
      cursor: () => cursor, epoch: () => '',
      intervalMs: () => { pauses += 1; return 10000; },
      events: {
        stateChanged() {}, connected() {}, costChanged() {},
        page(page) {
          delivered.push({ pausesBefore: pauses, more: page.more });
          cursor = page.messages.at(-1)?.seq ?? cursor;
          if (!page.more) {
            transport.stop();
            resolve();
          }
        },
      },
    };
    transport = new PollTransport('polling', session);
    transport.start();
  });
  try {
    await caughtUp;
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.deepEqual(asked, ['0', '2', '4']);
  assert.deepEqual(delivered, [{ pausesBefore: 0, more: true }, { pausesBefore: 0, more: true },
    { pausesBefore: 0, more: false }]);
});
