// The three ways to receive: short polling and long polling (one loop, two pacings) and
// WebSocket. A transport lives for one stretch in one mode: a switch stops it and starts a new
// one, and a stopped transport ignores whatever still arrives for it, so the new one resumes
// from the cursor with nothing lost or repeated.
//
// Every transport gets the page's session, owned by the app:
//   nick, key        who is polling (for the online list) and the room key
//   cursor()         the highest seq shown; every transport resumes after it
//   intervalMs()     the pause between two short polls
//   clock, costs     the ServerClock, and the ModeCost of each mode
//   events           stateChanged(state, args), connected(), page(page, mode),
//                    message(message, mode), resetOrGap(reset, gap), costChanged(),
//                    keyRejected(), refused(unsent, status, error), orphaned(unsent[])
// where `unsent` is { text, clientId }.
import {
  LONGPOLL_WAIT_S, Paths, UPGRADE_RESPONSE_BYTES, apiUrl, decodeError, decodeFrame, decodePage, encodePost,
  encodeSendFrame, frameSize, socketUrl, upgradeRequestEstimate, utf8Length,
} from './wire.js';

// Waits before the next attempt: 0.5 s, 1 s, 2 s … capped at 5 s, with ±20 % jitter so a
// classroom of pages does not hit a restarted host in the same millisecond.
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;
const RETRY_JITTER = 0.2;

const NORMAL_CLOSURE = 1000; // RFC 6455 close code
// Names the technique a network in between refuses (a fault the host turned on).
const BLOCKED_HEADER = 'PushChat-Blocked';

// What became of one send.
export const Outcome = Object.freeze({
  sent: 'sent',                // stored (HTTP), or handed to the socket (the ack follows)
  refused: 'refused',          // the server answered with an error
  keyRejected: 'keyRejected',  // 401: the room key is wrong
  unreachable: 'unreachable',  // no answer at all: its fate is unknown
});

// Polling and long polling post over HTTP; `via` charges the post to the mode's counters on
// the server. A WebSocket that is reconnecting falls back to a plain post.
async function postMessage(session, mode, text, clientId) {
  const url = apiUrl(Paths.messages, { via: mode === 'websocket' ? undefined : mode, key: session.key });
  const body = encodePost(session.nick, text, clientId);
  let response;
  let answer;
  try {
    response = await fetch(url, { method: 'POST', body, cache: 'no-store',
      headers: { 'Content-Type': 'application/json' } });
    answer = await response.text();
  } catch {
    return { outcome: Outcome.unreachable };
  }
  session.costs[mode].chargeExchange('POST', url, body, response, answer);
  session.events.costChanged();
  if (response.status === 401)
    return { outcome: Outcome.keyRejected };
  if (!response.ok) {
    return { outcome: Outcome.refused, status: response.status,
      error: decodeError(answer, response.statusText) };
  }
  return { outcome: Outcome.sent };
}

class Transport {
  stopped = false;
  #retries = 0;
  #wake = null;

  constructor(mode, session) {
    this.mode = mode;
    this.session = session;
    this.cost = session.costs[mode];
  }

  stop() {
    this.stopped = true;
    this.wakeUp();
  }

  send(text, clientId) {
    return postMessage(this.session, this.mode, text, clientId);
  }

  // The poll interval was changed: only short polling cares.
  intervalChanged() {}

  connected() {
    this.#retries = 0;
    this.session.events.connected();
  }

  // Resolves after `ms`, or early on wakeUp() or stop(); true while the transport still runs.
  sleep(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve(!this.stopped);
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  wakeUp() {
    this.#wake?.();
  }

  // `blocked`: the server said a network in between refuses this mode (docs/PROTOCOL.md,
  // "Faults on demand"); the page says so, and keeps trying in case the block is lifted.
  retryLater(blocked = false) {
    this.#retries += 1;
    const jitter = 1 - RETRY_JITTER + Math.random() * 2 * RETRY_JITTER;
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.#retries - 1)) * jitter;
    this.session.events.stateChanged(blocked ? 'blocked' : 'reconnecting',
      { seconds: (delay / 1000).toFixed(1), attempt: this.#retries });
    return this.sleep(delay);
  }
}

export class PollTransport extends Transport {
  #controller = null;
  #pausing = false;

  start() {
    this.#run();
  }

  stop() {
    super.stop();
    this.#controller?.abort();
  }

  // A shorter interval takes effect now, not after the old pause.
  intervalChanged() {
    if (this.#pausing)
      this.wakeUp();
  }

  async #run() {
    while (!this.stopped) {
      const { status, page, blocked } = await this.#poll();
      if (this.stopped)
        return; // a late reply of a mode we left: the new mode resumes from the cursor
      if (status === 401)
        return this.session.events.keyRejected();
      if (!page) {
        if (!(await this.retryLater(blocked)))
          return;
        continue;
      }
      if (page.messages.length === 0)
        this.cost.empty += 1;
      this.connected();
      this.session.events.page(page, this.mode);
      // A page cut at its bound is followed at once, in either mode: the rest is waiting.
      if (this.mode === 'polling' && !page.more && !(await this.#pause()))
        return;
    }
  }

  // One request: the answer's status and page (null when there is none to show).
  async #poll() {
    const { session } = this;
    const url = apiUrl(Paths.messages, { after: session.cursor(), epoch: session.epoch(),
      wait: this.mode === 'longpoll' ? LONGPOLL_WAIT_S : undefined,
      nick: session.nick, key: session.key });
    this.#controller = new AbortController();
    const sentAt = Date.now();
    let response;
    let body;
    try {
      response = await fetch(url, { signal: this.#controller.signal, cache: 'no-store' });
      body = await response.text();
    } catch {
      return { status: 0, page: null };
    }
    if (this.stopped)
      return { status: 0, page: null };
    const receivedAt = Date.now();
    this.cost.chargeExchange('GET', url, '', response, body);
    session.events.costChanged();
    const page = response.ok ? decodePage(body) : null;
    // A long poll's `now` is taken when it ends, not halfway: only short polls are samples.
    if (page && this.mode === 'polling')
      session.clock.addSample(sentAt, receivedAt, page.now);
    return { status: response.status, page, blocked: response.headers.has(BLOCKED_HEADER) };
  }

  async #pause() {
    this.#pausing = true;
    const running = await this.sleep(this.session.intervalMs());
    this.#pausing = false;
    return running;
  }
}

export class SocketTransport extends Transport {
  #socket = null;
  #greeted = false;          // the server's hello arrived on the current socket
  #unacked = new Map();      // frame id → unsent, until its ack or error
  #nextFrameId = 0;

  start() {
    this.#open();
  }

  stop() {
    super.stop();
    this.#detach()?.close(NORMAL_CLOSURE, 'switching mode');
  }

  send(text, clientId) {
    if (!this.#greeted || this.#socket?.readyState !== WebSocket.OPEN)
      return super.send(text, clientId);
    const id = ++this.#nextFrameId;
    const payload = encodeSendFrame(id, text, clientId);
    this.#unacked.set(id, { text, clientId });
    this.#socket.send(payload);
    this.cost.up += frameSize(utf8Length(payload), true);
    this.session.events.costChanged();
    return Promise.resolve({ outcome: Outcome.sent });
  }

  #open() {
    const { session } = this;
    const url = socketUrl({ nick: session.nick, after: session.cursor(), epoch: session.epoch(),
      key: session.key });
    const sentAt = Date.now();
    let socket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.#retry();
      return;
    }
    this.#socket = socket;
    this.#greeted = false;
    this.cost.requests += 1;
    this.cost.up += upgradeRequestEstimate(url);
    session.events.costChanged();
    socket.onmessage = (event) => this.#onText(event.data, sentAt);
    socket.onclose = () => this.#onClose();
  }

  // Forgets the current socket; returns it so that the caller may close it.
  #detach() {
    const socket = this.#socket;
    this.#socket = null;
    this.#greeted = false;
    if (socket)
      socket.onmessage = socket.onclose = null;
    return socket;
  }

  #onText(data, sentAt) {
    if (typeof data !== 'string')
      return;
    this.cost.down += frameSize(utf8Length(data), false);
    const frame = decodeFrame(data);
    switch (frame?.type) {
    case 'hello':
      this.#onHello(frame, sentAt);
      break;
    case 'message':
      this.session.events.message(frame, this.mode);
      break;
    case 'ack':
      this.#unacked.delete(frame.id);
      break;
    case 'error':
      this.#onError(frame);
      break;
    default:
      break;
    }
    this.session.events.costChanged();
  }

  #onHello(hello, sentAt) {
    this.#greeted = true;
    this.cost.down += UPGRADE_RESPONSE_BYTES; // the handshake's answer, seen only now
    this.session.clock.addSample(sentAt, Date.now(), hello.now);
    this.connected();
    this.session.events.resetOrGap(hello.reset, hello.gap, hello.epoch);
  }

  // A send the server refused; sending it again is a retry of the same message (its client_id).
  #onError(error) {
    const unsent = this.#unacked.get(error.id);
    this.#unacked.delete(error.id);
    this.session.events.refused(unsent, error.code, error.error);
  }

  #onClose() {
    const greeted = this.#greeted;
    this.#detach();
    // Sends without an answer may or may not be stored: post them again with their
    // client_id, which the server stores once.
    const orphans = [...this.#unacked.values()];
    this.#unacked.clear();
    this.session.events.orphaned(orphans);
    if (greeted) {
      this.#retry();
      return;
    }
    // The browser hides a refused handshake's status: ask the room whether it was the key,
    // and the endpoint whether upgrades are refused on the way.
    this.#keyAccepted().then(async (accepted) => {
      if (accepted)
        this.#retry(await this.#upgradesBlocked());
    });
  }

  async #upgradesBlocked() {
    try {
      const response = await fetch(apiUrl(Paths.socket, { key: this.session.key }), { cache: 'no-store' });
      return response.headers.has(BLOCKED_HEADER);
    } catch {
      return false;
    }
  }

  async #keyAccepted() {
    try {
      const response = await fetch(apiUrl(Paths.room, { key: this.session.key }), { cache: 'no-store' });
      if (!this.stopped && response.status === 401) {
        this.session.events.keyRejected();
        return false;
      }
    } catch {
      // The server is away; keep retrying.
    }
    return !this.stopped;
  }

  async #retry(blocked = false) {
    if (await this.retryLater(blocked))
      this.#open();
  }
}
