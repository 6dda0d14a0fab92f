// Everything the page shows, and the controls that change it. The view keeps what it shows so
// that it can draw it again in another language. Text from the network only ever reaches the
// page through textContent, never as markup.
import { ChatLog, youBadge } from './chatlog.js';
import { translate } from './i18n.js';
import { LONGPOLL_WAIT_S, MODES, Paths, apiUrl, isLoopbackHost, joinAddress } from './wire.js';

const $ = (id) => document.getElementById(id);

// The poll interval slider is logarithmic: 0…100 maps to 100 ms…10 s, 50 to 1 s.
export const MIN_INTERVAL_MS = 100;
export const MAX_INTERVAL_MS = 10000;
export const DEFAULT_INTERVAL_MS = 1000;
const SLIDER_STEPS = 100;
const sliderToMs = (value) =>
  Math.round(MIN_INTERVAL_MS * (MAX_INTERVAL_MS / MIN_INTERVAL_MS) ** (value / SLIDER_STEPS));
const msToSlider = (ms) =>
  Math.round(SLIDER_STEPS * Math.log(ms / MIN_INTERVAL_MS) / Math.log(MAX_INTERVAL_MS / MIN_INTERVAL_MS));

const STATE_KEYS = { idle: 'stateIdle', connecting: 'stateConnecting', connected: 'stateConnected',
  reconnecting: 'stateReconnecting', blocked: 'stateBlocked' };
const MODE_KEYS = { polling: 'modePolling', longpoll: 'modeLongpoll', websocket: 'modeWebsocket' };
const HINT_KEYS = { polling: 'hintPolling', longpoll: 'hintLongpoll', websocket: 'hintWebsocket' };

function formatBytes(bytes) {
  if (bytes < 1024)
    return `≈${bytes} B`;
  if (bytes < 1024 * 1024)
    return `≈${(bytes / 1024).toFixed(1)} KB`;
  return `≈${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function formatMs(ms) {
  if (ms < 1000)
    return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

export class View {
  lang = 'en';
  #clock;
  #costs;
  #state = 'idle';
  #stateArgs = {};
  #mode = 'polling';
  #intervalMs = DEFAULT_INTERVAL_MS;
  #online = [];
  #ownNick = '';
  #statsScheduled = false;

  constructor(clock, costs) {
    this.#clock = clock;
    this.#costs = costs;
    this.log = new ChatLog(clock, this);
  }

  t(key, params) {
    return translate(this.lang, key, params);
  }

  get connectionState() {
    return this.#state;
  }

  modeName(mode) {
    return this.t(MODE_KEYS[mode]);
  }

  // ---- controls ------------------------------------------------------------------------------

  // handlers: modeChosen(mode), intervalChosen(ms), languageToggled(), joinSubmitted(nick, key),
  // composed(text)
  bind(handlers) {
    for (const radio of document.querySelectorAll('input[name="mode"]')) {
      radio.checked = radio.value === this.#mode;
      radio.addEventListener('change', () => {
        if (radio.checked)
          handlers.modeChosen(radio.value);
      });
    }
    const slider = $('interval');
    slider.value = String(msToSlider(this.#intervalMs));
    slider.addEventListener('input', () => handlers.intervalChosen(sliderToMs(Number(slider.value))));
    $('lang').addEventListener('click', () => handlers.languageToggled());
    $('qr-button').addEventListener('click', () => this.#showQrCode());
    $('qr-close').addEventListener('click', () => $('qr-dialog').close());
    $('qr-image').addEventListener('error', () => { $('qr-error').textContent = this.t('qrFailed'); });
    $('how-button').addEventListener('click', () => this.#toggleHow());
    $('join-form').addEventListener('submit', (event) => {
      event.preventDefault();
      handlers.joinSubmitted($('nick').value.trim(), $('key').value);
    });
    $('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = $('text').value;
      if (text.trim())
        handlers.composed(text);
    });
  }

  // A cap that never cuts off what the room takes (the exact counts are checked on join and
  // send): `maxlength` counts UTF-16 code units, a character is at most two of them, and each
  // is at least one byte in UTF-8.
  applyLimits(limits) {
    if (Number.isFinite(limits.maxNickChars))
      $('nick').maxLength = 2 * limits.maxNickChars;
    if (Number.isFinite(limits.maxTextBytes))
      $('text').maxLength = limits.maxTextBytes;
  }

  setNickInput(nick) {
    $('nick').value = nick;
  }

  clearInput() {
    $('text').value = '';
  }

  // Puts unsent text back in the input box, unless the user has started a new one.
  restoreInput(text) {
    const input = $('text');
    if (!input.value)
      input.value = text;
  }

  // ---- join and chat views -------------------------------------------------------------------

  showJoinError(text) {
    $('join-error').textContent = text;
  }

  askForKey(error = '') {
    $('key-row').hidden = false;
    if (error) {
      this.showJoinError(error);
      $('key').focus();
    }
  }

  setJoining(joining) {
    $('join-button').disabled = joining;
  }

  showChat() {
    $('join-view').hidden = true;
    $('chat-view').hidden = false;
    this.log.showEmpty();
    $('text').focus();
  }

  showJoin() {
    $('chat-view').hidden = true;
    $('join-view').hidden = false;
  }

  showRoomName(name) {
    $('room-name').textContent = name;
    document.title = `${name} · PushChat`;
  }

  showSendError(message) {
    $('send-error').textContent = message ? this.t('sendFailed', { error: message }) : '';
  }

  // ---- the QR code and the How it works pane --------------------------------------------------

  // The server draws the code, so the page needs no QR library; the image is an <img> of its
  // SVG (the Content-Security-Policy allows images from the page's own origin).
  #showQrCode() {
    const address = joinAddress(location.href);
    $('qr-url').textContent = address;
    $('qr-error').textContent = '';
    $('qr-loopback').hidden = !isLoopbackHost(location.hostname);
    $('qr-image').alt = `${this.t('qrButton')}: ${address}`;
    $('qr-image').src = apiUrl(Paths.qrCode, { text: address });
    $('qr-dialog').showModal();
  }

  #toggleHow() {
    const pane = $('how');
    pane.hidden = !pane.hidden;
    $('how-button').setAttribute('aria-expanded', String(!pane.hidden));
    this.#renderHow();
    if (!pane.hidden)
      pane.scrollIntoView({ block: 'nearest' });
  }

  // Follows the chosen mode, so a switch shows how the new one works.
  #renderHow() {
    if ($('how').hidden)
      return;
    $('how').dataset.mode = this.#mode;
    $('how-title').textContent = this.t('howTitle', { mode: this.modeName(this.#mode) });
    for (const el of document.querySelectorAll('#how [data-how]'))
      el.textContent = this.t(`how_${this.#mode}_${el.dataset.how}`);
  }

  // ---- redrawn on a language switch ----------------------------------------------------------

  applyLanguage() {
    document.documentElement.lang = this.lang === 'zh' ? 'zh-CN' : 'en';
    for (const el of document.querySelectorAll('[data-i18n]'))
      el.textContent = this.t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
      el.placeholder = this.t(el.dataset.i18nPlaceholder);
    $('lang').textContent = this.lang === 'zh' ? 'English' : '中文';
    this.#renderState();
    this.#renderModeHint();
    this.#renderOnline();
    this.showOffset();
    this.log.showEmpty();
  }

  showState(state, args = {}) {
    this.#state = state;
    this.#stateArgs = args;
    this.#renderState();
  }

  #renderState() {
    const el = $('conn');
    el.dataset.state = this.#state;
    el.textContent = this.t(STATE_KEYS[this.#state], { mode: this.modeName(this.#mode), ...this.#stateArgs });
  }

  showMode(mode, intervalMs) {
    this.#mode = mode;
    this.#intervalMs = intervalMs;
    this.#renderModeHint();
  }

  #renderModeHint() {
    const interval = formatMs(this.#intervalMs);
    $('mode-hint').textContent = this.t(HINT_KEYS[this.#mode], { interval, wait: LONGPOLL_WAIT_S });
    $('interval-row').hidden = this.#mode !== 'polling';
    $('interval-out').textContent = interval;
    for (const cell of document.querySelectorAll('#stats [data-mode]'))
      cell.classList.toggle('active', cell.dataset.mode === this.#mode);
    this.#renderHow();
  }

  showOnline(online, ownNick) {
    this.#online = online;
    this.#ownNick = ownNick;
    this.#renderOnline();
  }

  #renderOnline() {
    const list = $('online');
    list.replaceChildren();
    $('online-count').textContent = String(this.#online.length);
    if (this.#online.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = this.t('noOne');
      list.append(li);
      return;
    }
    for (const member of this.#online) {
      const li = document.createElement('li');
      const nick = document.createElement('span');
      nick.className = 'nick';
      nick.textContent = member.nick;
      if (member.nick === this.#ownNick)
        nick.append(' ', youBadge(this.t('you')));
      const transport = document.createElement('span');
      transport.className = `transport t-${member.transport}`;
      transport.textContent = this.t(`transport_${member.transport}`);
      li.append(nick, transport);
      list.append(li);
    }
  }

  showOffset() {
    const clock = this.#clock;
    $('offset').textContent = clock.known
      ? this.t('offset', { offset: clock.offsetMs, rtt: clock.bestRoundTripMs }) : '';
  }

  // ---- the cost table ------------------------------------------------------------------------

  // Drawn at most once a frame, however many answers arrive in it.
  scheduleStats() {
    if (this.#statsScheduled)
      return;
    this.#statsScheduled = true;
    requestAnimationFrame(() => {
      this.#statsScheduled = false;
      for (const mode of MODES)
        this.#renderCost(mode, this.#costs[mode]);
    });
  }

  #renderCost(mode, cost) {
    const [p50, p95] = cost.latencyQuantiles(0.5, 0.95);
    const values = {
      requests: String(cost.requests),
      empty: mode === 'websocket' ? '–' : String(cost.empty),
      messages: String(cost.messages),
      p50: p50 === null ? '–' : formatMs(p50),
      p95: p95 === null ? '–' : formatMs(p95),
      up: formatBytes(cost.up),
      down: formatBytes(cost.down),
    };
    for (const [key, value] of Object.entries(values))
      document.querySelector(`#stats tr[data-k="${key}"] td[data-mode="${mode}"]`).textContent = value;
  }
}
