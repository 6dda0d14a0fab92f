// PushChat browser client: protocol v1 (docs/PROTOCOL.md) over polling, long polling or
// WebSocket, switchable live. This module joins the room, switches modes and delivers each
// message once; the others: wire.js (the protocol), transports.js, outbox.js (sending),
// room.js (GET /api/room), clock.js, cost.js, view.js with chatlog.js, i18n.js.
import { ServerClock } from './clock.js';
import { costsByMode } from './cost.js';
import { STRINGS } from './i18n.js';
import { Outbox } from './outbox.js';
import { RoomWatch, fetchRoom } from './room.js';
import { PollTransport, SocketTransport } from './transports.js';
import { DEFAULT_INTERVAL_MS, MAX_INTERVAL_MS, MIN_INTERVAL_MS, View } from './view.js';
import { MODES, characterCount, decodeLimits, utf8Length } from './wire.js';

// A join or leave in the chat: the online list follows soon, not at the next round.
const PRESENCE_REFRESH_MS = 300;

// Settings remembered in the browser; storage may be disabled, and then nothing is remembered.
function recall(name) {
  try {
    return localStorage.getItem(`pushchat.${name}`);
  } catch {
    return null;
  }
}

function remember(name, value) {
  try {
    localStorage.setItem(`pushchat.${name}`, value);
  } catch {
    // not remembered
  }
}

// The cursor makes delivery exactly-once across modes: a message at or below it was shown.
// It counts in one history, named by its epoch; the server resets a cursor of another one.
class Delivery {
  cursor = 0;       // highest seq shown; every transport resumes after it
  epoch = '';       // the history the cursor counts in, sent back with it
  #modeStartMs = 0; // server time the current mode started: older messages are replay
  #session;
  #view;
  #onPresence;

  constructor(session, view, onPresence) {
    this.#session = session;
    this.#view = view;
    this.#onPresence = onPresence;
  }

  modeStarted() {
    this.#modeStartMs = this.#session.clock.now();
  }

  message(message, mode) {
    if (typeof message.seq !== 'number' || message.seq <= this.cursor)
      return;
    this.cursor = message.seq;
    const cost = this.#session.costs[mode];
    cost.messages += 1;
    if (message.ts >= this.#modeStartMs)
      cost.addLatency(Math.max(0, this.#session.clock.now() - message.ts));
    this.#view.log.showMessage(message, this.#session.nick);
    if (message.kind === 'join' || message.kind === 'leave')
      this.#onPresence();
  }

  page(page, mode) {
    this.resetOrGap(page.reset, page.gap, page.epoch);
    for (const message of page.messages)
      this.message(message, mode);
    // A page cut at its bound (`more`) continues from its last message, never from last_seq.
    if (page.gap && !page.more && typeof page.lastSeq === 'number' && page.lastSeq > this.cursor)
      this.cursor = page.lastSeq;
    this.#view.scheduleStats();
  }

  resetOrGap(reset, gap, epoch) {
    if (epoch)
      this.epoch = epoch;
    if (reset) {
      // Another history (a restart without a store, or cleared): it starts again.
      this.cursor = 0;
      this.#view.log.notice(this.#view.t('reset'), 'notice reset');
    }
    if (gap)
      this.#view.log.notice(this.#view.t('gap'), 'notice gap');
  }
}

class Chat {
  mode = 'polling';
  intervalMs = DEFAULT_INTERVAL_MS;
  keyRequired = false;
  joined = false;
  limits = decodeLimits(null); // none known until the room answers
  transport = null;

  constructor() {
    const costs = costsByMode();
    const clock = new ServerClock(() => this.view.showOffset());
    this.view = new View(clock, costs);
    // What every transport shares (see transports.js).
    this.session = {
      nick: '',
      key: '',
      clock,
      costs,
      cursor: () => this.delivery.cursor,
      epoch: () => this.delivery.epoch,
      intervalMs: () => this.intervalMs,
      events: {
        stateChanged: (state, args) => this.view.showState(state, args),
        connected: () => this.#connected(),
        page: (page, mode) => this.delivery.page(page, mode),
        message: (message, mode) => this.delivery.message(message, mode),
        resetOrGap: (reset, gap, epoch) => this.delivery.resetOrGap(reset, gap, epoch),
        costChanged: () => this.view.scheduleStats(),
        keyRejected: () => this.#keyRejected(),
        refused: (unsent, status, error) => this.outbox.refused(unsent, status, error),
        orphaned: (unsents) => this.outbox.resend(unsents),
      },
    };
    this.room = new RoomWatch(this.session, {
      shown: (room) => this.#showRoom(room),
      keyRejected: () => this.#keyRejected(),
    });
    this.delivery = new Delivery(this.session, this.view,
      () => this.room.refreshIn(PRESENCE_REFRESH_MS));
    this.outbox = new Outbox(this.view, {
      transport: () => this.transport,
      keyRejected: () => this.#keyRejected(),
    });
  }

  start() {
    this.#loadSettings();
    this.view.showMode(this.mode, this.intervalMs);
    this.view.bind({
      modeChosen: (mode) => this.#chooseMode(mode),
      intervalChosen: (ms) => this.#chooseInterval(ms),
      languageToggled: () => this.#toggleLanguage(),
      joinSubmitted: (nick, key) => this.#join(nick, key),
      composed: (text) => this.#compose(text),
    });
    this.view.applyLanguage();
    this.view.scheduleStats();
    this.#probeRoom();
  }

  // The address (?lang=zh, ?mode=websocket) wins over what was remembered.
  #loadSettings() {
    const params = new URLSearchParams(location.search);
    const browserLang = (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
    this.view.lang = [params.get('lang'), recall('lang'), browserLang]
      .find((lang) => lang && Object.hasOwn(STRINGS, lang)) ?? 'en';
    this.mode = [params.get('mode'), recall('mode')].find((mode) => MODES.includes(mode)) ?? this.mode;
    const interval = Number(recall('interval'));
    if (interval >= MIN_INTERVAL_MS && interval <= MAX_INTERVAL_MS)
      this.intervalMs = interval;
    this.view.setNickInput(recall('nick') || '');
  }

  // ---- joining -------------------------------------------------------------------------------

  // Before joining: the room's name, whether it has a key, its limits.
  async #probeRoom() {
    try {
      const { status, room } = await fetchRoom('', this.session.clock);
      if (room)
        this.#applyLimits(room.limits);
      if (status === 401 || room.keyRequired) {
        this.keyRequired = true;
        this.view.askForKey();
      } else if (room.name) {
        this.view.showRoomName(room.name);
      }
    } catch (failure) {
      this.view.showJoinError(this.view.t('serverUnreachable', { error: failure.message || String(failure) }));
    }
  }

  async #join(nick, key) {
    const { view } = this;
    view.showJoinError('');
    if (!nick)
      return view.showJoinError(view.t('nickEmpty'));
    if (this.keyRequired && !key)
      return view.askForKey(view.t('keyNeeded'));
    view.setJoining(true);
    try {
      const result = await fetchRoom(key, this.session.clock);
      if (result.status === 401) {
        this.keyRequired = true;
        view.askForKey(view.t(key ? 'keyWrong' : 'keyNeeded'));
        return;
      }
      this.#applyLimits(result.room.limits);
      if (characterCount(nick) > this.limits.maxNickChars)
        return view.showJoinError(view.t('nickTooLong', { max: this.limits.maxNickChars }));
      Object.assign(this.session, { nick, key });
      this.joined = true;
      remember('nick', nick);
      this.#showRoom(result.room);
      view.showChat();
      this.#startTransport();
      this.room.start();
    } catch (failure) {
      view.showJoinError(view.t('serverUnreachable', { error: failure.message || String(failure) }));
    } finally {
      view.setJoining(false);
    }
  }

  #applyLimits(limits) {
    this.limits = limits;
    this.view.applyLimits(limits);
  }

  #showRoom(room) {
    if (room.name)
      this.view.showRoomName(room.name);
    if (room.online)
      this.view.showOnline(room.online, this.session.nick);
  }

  #keyRejected() {
    this.transport?.stop();
    this.joined = false;
    this.room.stop();
    this.view.showState('idle');
    this.keyRequired = true;
    this.view.showJoin();
    this.view.askForKey(this.view.t(this.session.key ? 'keyWrong' : 'keyNeeded'));
  }

  // ---- modes ---------------------------------------------------------------------------------

  #startTransport() {
    this.transport?.stop();
    this.delivery.modeStarted();
    this.view.showState('connecting');
    const Transport = this.mode === 'websocket' ? SocketTransport : PollTransport;
    this.transport = new Transport(this.mode, this.session);
    this.transport.start();
  }

  #connected() {
    if (this.view.connectionState !== 'connected')
      this.view.showState('connected');
    this.outbox.connected();
  }

  #chooseMode(mode) {
    if (!MODES.includes(mode) || mode === this.mode)
      return;
    this.mode = mode;
    remember('mode', mode);
    this.view.showMode(mode, this.intervalMs);
    this.view.scheduleStats();
    if (this.joined) {
      this.view.log.notice(this.view.t('switched', { mode: this.view.modeName(mode) }), 'notice switch');
      this.#startTransport();
    }
  }

  #chooseInterval(ms) {
    this.intervalMs = ms;
    remember('interval', String(ms));
    this.view.showMode(this.mode, ms);
    this.transport?.intervalChanged();
  }

  #toggleLanguage() {
    this.view.lang = this.view.lang === 'zh' ? 'en' : 'zh';
    remember('lang', this.view.lang);
    this.view.applyLanguage();
  }

  // ---- sending -------------------------------------------------------------------------------

  async #compose(text) {
    const bytes = utf8Length(text);
    if (bytes > this.limits.maxTextBytes) {
      this.view.showSendError(this.view.t('textTooLong', { bytes, max: this.limits.maxTextBytes }));
      return;
    }
    this.view.clearInput();
    if (!(await this.outbox.send(text)))
      this.view.restoreInput(text);
  }
}

new Chat().start();
