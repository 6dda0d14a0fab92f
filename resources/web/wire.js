// Protocol v1 as this page speaks it (docs/PROTOCOL.md): addresses, bodies and frames, and what
// each costs on the wire. No I/O here.

export const MODES = ['polling', 'longpoll', 'websocket'];

export const Paths = { messages: '/api/messages', room: '/api/room', socket: '/ws', qrCode: '/api/qr.svg' };

// How long a long poll waits at the server (`wait=`) when nothing is new.
export const LONGPOLL_WAIT_S = 25;

const encoder = new TextEncoder();

// The server counts text in UTF-8 bytes; so does the page.
export function utf8Length(text) {
  return encoder.encode(text).length;
}

// Nicks are counted in characters (code points), as the server counts them.
export function characterCount(text) {
  return [...text].length;
}

export function apiUrl(path, params) {
  const url = new URL(path, location.href);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '')
      url.searchParams.set(name, String(value));
  }
  return url.toString();
}

export function socketUrl(params) {
  const url = new URL(apiUrl(Paths.socket, params));
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

// The address a QR code hands to phones: the page as it was opened, minus what is this
// reader's own (the language, a key typed into the address, the fragment). The mode stays.
export function joinAddress(href) {
  const url = new URL(href);
  url.searchParams.delete('lang');
  url.searchParams.delete('key');
  url.hash = '';
  return url.toString();
}

// True for a host only this computer can reach: a QR code of it is no use to a phone.
export function isLoopbackHost(hostname) {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}

// ---- bodies and frames ---------------------------------------------------------------------

export function encodePost(nick, text, clientId) {
  return JSON.stringify({ nick, text, client_id: clientId });
}

export function encodeSendFrame(id, text, clientId) {
  return JSON.stringify({ type: 'send', text, id, client_id: clientId });
}

function parseObject(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

// A page of messages (GET /api/messages), or null when the body is not one.
export function decodePage(body) {
  const page = parseObject(body);
  if (!page)
    return null;
  return {
    messages: Array.isArray(page.messages) ? page.messages : [],
    reset: page.reset === true,
    gap: page.gap === true,
    more: page.more === true,   // cut at the page's bound: ask again after its last message
    lastSeq: page.last_seq,
    epoch: typeof page.epoch === 'string' ? page.epoch : '',
    now: page.now,
  };
}

// A WebSocket text frame from the server, or null when it is not JSON.
export function decodeFrame(data) {
  const frame = parseObject(data);
  if (frame?.type === 'hello') {
    return { ...frame, reset: frame.reset === true, gap: frame.gap === true,
      epoch: typeof frame.epoch === 'string' ? frame.epoch : '' };
  }
  return frame;
}

// The `error` of an error answer, or `fallback` when it has none.
export function decodeError(body, fallback) {
  return parseObject(body)?.error || fallback;
}

// The room's limits (GET /api/room → limits). A limit the server does not state is left to
// the server to enforce.
export function decodeLimits(limits) {
  const count = (value) => (Number.isInteger(value) && value > 0 ? value : Infinity);
  return { maxTextBytes: count(limits?.max_text_bytes), maxNickChars: count(limits?.max_nick_chars) };
}

// GET /api/room. `online` is null when the answer has no list, sorted by nick otherwise.
export function decodeRoom(room) {
  return {
    name: typeof room.name === 'string' ? room.name : '',
    keyRequired: room.key_required === true,
    online: Array.isArray(room.online)
      ? room.online.filter((m) => m && typeof m.nick === 'string')
        .sort((a, b) => a.nick.localeCompare(b.nick))
      : null,
    limits: decodeLimits(room.limits),
    now: room.now,
  };
}

// ---- sizes on the wire ---------------------------------------------------------------------

// RFC 6455: a 2-byte head, then a 2- or 8-byte extended length for longer payloads, then the
// 4-byte mask that every client frame carries.
const FRAME_HEAD_BYTES = 2;
const MAX_SHORT_PAYLOAD = 125;
const MAX_MEDIUM_PAYLOAD = 65535;
const MEDIUM_LENGTH_BYTES = 2;
const LONG_LENGTH_BYTES = 8;
const MASK_BYTES = 4;

export function frameSize(payloadBytes, masked) {
  const extended = payloadBytes > MAX_MEDIUM_PAYLOAD ? LONG_LENGTH_BYTES
    : payloadBytes > MAX_SHORT_PAYLOAD ? MEDIUM_LENGTH_BYTES : 0;
  return FRAME_HEAD_BYTES + extended + (masked ? MASK_BYTES : 0) + payloadBytes;
}

// The page cannot see HTTP headers, so these are estimates, checked against the server's own
// byte counts (docs/BROWSER.md). Chromium's request headers besides Host and User-Agent:
// Accept, Accept-Encoding, Accept-Language, Connection, Referer, sec-ch-ua…
const BROWSER_REQUEST_HEADERS_BYTES = 400;
// What a WebSocket handshake request adds: Upgrade, Sec-WebSocket-Key, -Version, -Extensions.
const UPGRADE_REQUEST_HEADERS_BYTES = 170;
// The server's 101 answer: status line, Upgrade, Connection, Sec-WebSocket-Accept.
export const UPGRADE_RESPONSE_BYTES = 129;

export function requestHeadEstimate(method, url, bodyBytes) {
  const u = new URL(url, location.href);
  let size = `${method} ${u.pathname}${u.search} HTTP/1.1\r\n`.length;
  size += `Host: ${location.host}\r\n`.length + `User-Agent: ${navigator.userAgent}\r\n`.length;
  size += BROWSER_REQUEST_HEADERS_BYTES;
  if (method === 'POST')
    size += `Content-Type: application/json\r\nContent-Length: ${bodyBytes}\r\nOrigin: ${location.origin}\r\n`.length;
  return size;
}

export function upgradeRequestEstimate(url) {
  return requestHeadEstimate('GET', url, 0) + UPGRADE_REQUEST_HEADERS_BYTES;
}

// The head this server writes: status line, Content-Type, Content-Length.
export function responseHeadEstimate(response, bodyBytes) {
  const type = response.headers.get('content-type') || '';
  const head = `HTTP/1.1 ${response.status} ${response.statusText}\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${bodyBytes}\r\n\r\n`;
  return head.length;
}
