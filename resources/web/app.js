// PushChat browser client: protocol v1 (docs/PROTOCOL.md) over polling, long polling or
// WebSocket, switchable live. Text from the network only ever reaches the page through
// textContent, never as markup.
'use strict';

(() => {
  const STRINGS = window.PUSHCHAT_I18N;
  const MODES = ['polling', 'longpoll', 'websocket'];
  const LONGPOLL_WAIT_S = 25;
  const ROOM_REFRESH_MS = 3000;
  const MAX_NICK_CHARS = 32;
  const MAX_LATENCY_SAMPLES = 2000;
  const encoder = new TextEncoder();
  const $ = (id) => document.getElementById(id);

  const app = {
    lang: 'en',
    nick: '',
    key: '',
    keyRequired: false,
    joined: false,
    mode: 'polling',
    intervalMs: 1000,
    cursor: 0,            // highest seq shown; every transport resumes after it
    epoch: 0,             // bumped on every switch: replies of an older epoch are ignored
    abort: null,          // cancels the HTTP request in flight
    wake: null,           // ends the pause between two short polls early
    ws: null,
    wsReady: false,
    sendId: 0,
    // Every message carries a client_id, so a send repeated after a broken link is stored once.
    clientPrefix: Math.random().toString(36).slice(2, 10) + '-',
    unacked: new Map(), // WebSocket send id → { text, clientId } until ack or error
    lastFailed: null, // { text, clientId } of a send whose fate is unknown
    resendQueue: [], // { text, clientId } of orphaned sends to post once connected again
    retry: 0,
    retryTimer: null,
    sessionStartServerMs: 0,
    offset: { value: 0, rtt: Infinity, samples: [] },
    state: 'idle',
    stateArgs: {},
    online: [],
    roomTimer: null,
    counters: {},
  };
  for (const mode of MODES)
    app.counters[mode] = { requests: 0, empty: 0, messages: 0, latencies: [], up: 0, down: 0 };

  // ---- text and language -------------------------------------------------------------------

  function t(key, params = {}) {
    const table = STRINGS[app.lang] || STRINGS.en;
    const template = table[key] ?? STRINGS.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
  }

  function modeName(mode) {
    return t({ polling: 'modePolling', longpoll: 'modeLongpoll', websocket: 'modeWebsocket' }[mode]);
  }

  function applyLanguage() {
    document.documentElement.lang = app.lang === 'zh' ? 'zh-CN' : 'en';
    for (const el of document.querySelectorAll('[data-i18n]'))
      el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-i18n-placeholder]'))
      el.placeholder = t(el.dataset.i18nPlaceholder);
    $('lang').textContent = app.lang === 'zh' ? 'English' : '中文';
    renderState();
    renderModeHint();
    renderOnline();
    renderOffset();
    renderEmptyLog();
  }

  // ---- small helpers -----------------------------------------------------------------------

  function utf8Length(text) {
    return encoder.encode(text).length;
  }

  // Size on the wire of one WebSocket frame with this payload; client frames carry a mask.
  function frameSize(payloadBytes, masked) {
    const extended = payloadBytes > 65535 ? 8 : payloadBytes > 125 ? 2 : 0;
    return 2 + extended + (masked ? 4 : 0) + payloadBytes;
  }

  // The page cannot see HTTP headers, so these are estimates: Chromium's usual request
  // headers, and the head this server writes (status line, Content-Type, Content-Length).
  function requestHeadEstimate(method, url, bodyBytes) {
    const u = new URL(url, location.href);
    let size = `${method} ${u.pathname}${u.search} HTTP/1.1\r\n`.length;
    size += `Host: ${location.host}\r\n`.length + `User-Agent: ${navigator.userAgent}\r\n`.length;
    size += 400; // Accept, Accept-Encoding, Accept-Language, Connection, Referer, sec-ch-ua…
    if (method === 'POST')
      size += `Content-Type: application/json\r\nContent-Length: ${bodyBytes}\r\nOrigin: ${location.origin}\r\n`.length;
    return size;
  }

  function responseHeadEstimate(response, bodyBytes) {
    const type = response.headers.get('content-type') || '';
    const head = `HTTP/1.1 ${response.status} ${response.statusText}\r\n` +
        `Content-Type: ${type}\r\nContent-Length: ${bodyBytes}\r\n\r\n`;
    return head.length;
  }

  function apiUrl(path, params) {
    const url = new URL(path, location.href);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '')
        url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

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

  function percentile(sorted, q) {
    if (sorted.length === 0)
      return null;
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }

  function serverNow() {
    return Date.now() + app.offset.value;
  }

  // NTP-style: the server's `now` was taken about halfway through the round trip. The sample
  // with the shortest round trip of the recent ones is the most trustworthy.
  function addOffsetSample(sentAt, receivedAt, serverTime) {
    if (typeof serverTime !== 'number')
      return;
    const rtt = receivedAt - sentAt;
    const samples = app.offset.samples;
    samples.push({ rtt, offset: serverTime - (sentAt + receivedAt) / 2 });
    if (samples.length > 16)
      samples.shift();
    const best = samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    app.offset.value = Math.round(best.offset);
    app.offset.rtt = best.rtt;
    renderOffset();
  }

  // ---- rendering ---------------------------------------------------------------------------

  function nearBottom(log) {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function appendLine(li) {
    const log = $('log');
    const stick = nearBottom(log);
    log.querySelector('.placeholder')?.remove();
    log.append(li);
    if (stick)
      log.scrollTop = log.scrollHeight;
  }

  function renderEmptyLog() {
    const log = $('log');
    const placeholder = log.querySelector('.placeholder');
    if (placeholder) {
      placeholder.textContent = t('empty');
    } else if (!log.firstChild) {
      const li = document.createElement('li');
      li.className = 'placeholder';
      li.textContent = t('empty');
      log.append(li);
    }
  }

  function notice(text, kind = 'notice') {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    appendLine(li);
  }

  function timeOf(ts) {
    return new Date(ts - app.offset.value).toLocaleTimeString(app.lang === 'zh' ? 'zh-CN' : 'en-GB',
        { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function renderMessage(message) {
    const li = document.createElement('li');
    li.dataset.seq = String(message.seq);
    li.dataset.kind = message.kind;
    const time = document.createElement('time');
    time.className = 'when';
    time.dateTime = new Date(message.ts).toISOString();
    time.textContent = timeOf(message.ts);
    if (message.kind === 'join' || message.kind === 'leave') {
      li.className = 'system';
      const text = document.createElement('span');
      text.textContent = t(message.kind === 'join' ? 'joined' : 'left', { nick: message.nick });
      li.append(time, text);
    } else {
      const own = message.nick === app.nick;
      li.className = own ? 'msg own' : 'msg';
      const nick = document.createElement('span');
      nick.className = 'nick';
      nick.textContent = message.nick;
      if (own) {
        const badge = document.createElement('span');
        badge.className = 'you';
        badge.textContent = t('you');
        nick.append(' ', badge);
      }
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = message.text;
      li.append(time, nick, text);
    }
    appendLine(li);
  }

  function renderState() {
    const el = $('conn');
    el.dataset.state = app.state;
    const keys = { idle: 'stateIdle', connecting: 'stateConnecting', connected: 'stateConnected',
      reconnecting: 'stateReconnecting' };
    el.textContent = t(keys[app.state], { mode: modeName(app.mode), ...app.stateArgs });
  }

  function setState(state, args = {}) {
    app.state = state;
    app.stateArgs = args;
    renderState();
  }

  function renderModeHint() {
    const hints = { polling: 'hintPolling', longpoll: 'hintLongpoll', websocket: 'hintWebsocket' };
    $('mode-hint').textContent = t(hints[app.mode], { interval: formatMs(app.intervalMs) });
    $('interval-row').hidden = app.mode !== 'polling';
    $('interval-out').textContent = formatMs(app.intervalMs);
    for (const cell of document.querySelectorAll('#stats [data-mode]'))
      cell.classList.toggle('active', cell.dataset.mode === app.mode);
  }

  function renderOffset() {
    const el = $('offset');
    el.textContent = Number.isFinite(app.offset.rtt)
      ? t('offset', { offset: app.offset.value, rtt: app.offset.rtt }) : '';
  }

  let statsScheduled = false;
  function renderStats() {
    if (statsScheduled)
      return;
    statsScheduled = true;
    requestAnimationFrame(() => {
      statsScheduled = false;
      for (const mode of MODES) {
        const c = app.counters[mode];

        const sorted = [...c.latencies].sort((a, b) => a - b);
        const p50 = percentile(sorted, 0.5);
        const p95 = percentile(sorted, 0.95);
        const values = {
          requests: String(c.requests),
          empty: mode === 'websocket' ? '–' : String(c.empty),
          messages: String(c.messages),
          p50: p50 === null ? '–' : formatMs(p50),
          p95: p95 === null ? '–' : formatMs(p95),
          up: formatBytes(c.up),
          down: formatBytes(c.down),
        };
        for (const [key, value] of Object.entries(values))
          document.querySelector(`#stats tr[data-k="${key}"] td[data-mode="${mode}"]`)
            .textContent = value;
      }
    });
  }

  function renderOnline() {
    const list = $('online');
    list.replaceChildren();
    $('online-count').textContent = String(app.online.length);
    if (app.online.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = t('noOne');
      list.append(li);
      return;
    }
    for (const member of app.online) {
      const li = document.createElement('li');
      const nick = document.createElement('span');
      nick.className = 'nick';
      nick.textContent = member.nick;
      if (member.nick === app.nick) {
        const badge = document.createElement('span');
        badge.className = 'you';
        badge.textContent = t('you');
        nick.append(' ', badge);
      }
      const transport = document.createElement('span');
      transport.className = `transport t-${member.transport}`;
      transport.textContent = t(`transport_${member.transport}`);
      li.append(nick, transport);
      list.append(li);
    }
  }

  // ---- receiving ---------------------------------------------------------------------------

  // The cursor makes delivery exactly-once across modes: a message at or below it was shown.
  function deliver(message, mode) {
    if (typeof message.seq !== 'number' || message.seq <= app.cursor)
      return;
    app.cursor = message.seq;
    const c = app.counters[mode];
    c.messages += 1;
    if (message.ts >= app.sessionStartServerMs) {
      c.latencies.push(Math.max(0, serverNow() - message.ts));
      if (c.latencies.length > MAX_LATENCY_SAMPLES)
        c.latencies.shift();
    }
    renderMessage(message);
    if (message.kind === 'join' || message.kind === 'leave')
      scheduleRoomRefresh(300);
  }

  function handleResetAndGap(reset, gap) {
    if (reset) {
      // A new server with a new history: its seqs start again from 1.
      app.cursor = 0;
      notice(t('reset'), 'notice reset');
    }
    if (gap)
      notice(t('gap'), 'notice gap');
  }

  function handlePage(page, mode) {
    handleResetAndGap(page.reset === true, page.gap === true);
    for (const message of page.messages || [])
      deliver(message, mode);
    if (page.gap && typeof page.last_seq === 'number' && page.last_seq > app.cursor)
      app.cursor = page.last_seq;
    renderStats();
  }

  // ---- transports --------------------------------------------------------------------------

  function stopTransport() {
    app.epoch += 1;
    app.abort?.();
    app.abort = null;
    app.wake?.();
    app.wake = null;
    clearTimeout(app.retryTimer);
    if (app.ws) {
      const ws = app.ws;
      app.ws = null;
      app.wsReady = false;
      ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
      ws.close(1000, 'switching mode');
    }
  }

  function startTransport() {
    stopTransport();
    const epoch = app.epoch;
    app.retry = 0;
    app.sessionStartServerMs = serverNow();
    setState('connecting');
    if (app.mode === 'websocket')
      openSocket(epoch);
    else
      pollLoop(epoch);
  }

  function connected() {
    app.retry = 0;
    if (app.state !== 'connected')
      setState('connected');
    // Messages that could not go out while the link was down, oldest first.
    const waiting = app.resendQueue.splice(0);
    for (const message of waiting)
      send(message.text, message.clientId);
  }

  // Waits before the next attempt: 0.5 s, 1 s, 2 s … capped at 5 s, with a little jitter so a
  // classroom of pages does not hit a restarted host in the same millisecond.
  function backoff(epoch) {
    app.retry += 1;
    const delay = Math.min(5000, 500 * 2 ** (app.retry - 1)) * (0.8 + Math.random() * 0.4);
    setState('reconnecting', { seconds: (delay / 1000).toFixed(1), attempt: app.retry });
    return new Promise((resolve) => {
      app.retryTimer = setTimeout(() => resolve(epoch === app.epoch), delay);
    });
  }

  function pause(ms, epoch) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        if (app.wake === done)
          app.wake = null;
        resolve(epoch === app.epoch);
      }
      app.wake = done;
    });
  }

  async function pollLoop(epoch) {
    const mode = app.mode;
    const c = app.counters[mode];
    while (epoch === app.epoch) {
      const url = apiUrl('/api/messages', { after: app.cursor,
        wait: mode === 'longpoll' ? LONGPOLL_WAIT_S : undefined, nick: app.nick, key: app.key });
      const controller = new AbortController();
      app.abort = () => controller.abort();
      const sentAt = Date.now();
      let response;
      let body;
      try {
        response = await fetch(url, { signal: controller.signal, cache: 'no-store' });
        body = await response.text();
      } catch (error) {
        if (epoch !== app.epoch)
          return;
        if (!(await backoff(epoch)))
          return;
        continue;
      }
      if (epoch !== app.epoch)
        return; // a late reply of a mode we left: the new mode resumes from the cursor
      const receivedAt = Date.now();
      const bodyBytes = utf8Length(body);
      c.requests += 1;
      c.up += requestHeadEstimate('GET', url, 0);
      c.down += responseHeadEstimate(response, bodyBytes) + bodyBytes;
      if (response.status === 401)
        return keyRejected();
      let page = null;
      try {
        page = response.ok ? JSON.parse(body) : null;
      } catch {
        page = null;
      }
      if (!page) {
        renderStats();
        if (!(await backoff(epoch)))
          return;
        continue;
      }
      if (mode === 'polling')
        addOffsetSample(sentAt, receivedAt, page.now);
      if (!page.messages || page.messages.length === 0)
        c.empty += 1;
      connected();
      handlePage(page, mode);
      if (mode === 'polling' && !(await pause(app.intervalMs, epoch)))
        return;
    }
  }

  function openSocket(epoch) {
    const c = app.counters.websocket;
    const url = new URL(apiUrl('/ws', { nick: app.nick, after: app.cursor, key: app.key }));
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const sentAt = Date.now();
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      retrySocket(epoch);
      return;
    }
    app.ws = ws;
    app.wsReady = false;
    c.requests += 1;
    c.up += requestHeadEstimate('GET', url.toString(), 0) + 170; // Upgrade, Sec-WebSocket-*
    renderStats();
    let greeted = false;
    ws.onmessage = (event) => {
      if (epoch !== app.epoch || typeof event.data !== 'string')
        return;
      c.down += frameSize(utf8Length(event.data), false);
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      switch (frame.type) {
      case 'hello':
        greeted = true;
        c.down += 129; // the 101 answer: status line, Upgrade, Connection, Sec-WebSocket-Accept
        addOffsetSample(sentAt, Date.now(), frame.now);
        app.wsReady = true;
        connected();
        handleResetAndGap(frame.reset === true, frame.gap === true);
        break;
      case 'message':
        deliver(frame, 'websocket');
        break;
      case 'ack':
        app.unacked.delete(frame.id);
        break;
      case 'error': {
        // A refused send goes back to the input box, as a refused post does; sending it again
        // is a retry of the same message (its client_id).
        const refused = app.unacked.get(frame.id);
        app.unacked.delete(frame.id);
        if (refused) {
          app.lastFailed = refused;
          const input = $('text');
          if (!input.value)
            input.value = refused.text;
        }
        showSendError(frame.code === 429 ? t('rateLimited') : frame.error);
        break;
      }
      default:
        break;
      }
      renderStats();
    };
    ws.onclose = () => {
      if (epoch !== app.epoch)
        return;
      app.ws = null;
      app.wsReady = false;
      // Sends without an answer may or may not be stored: post them again with their
      // client_id, which the server stores once.
      const orphans = [...app.unacked.values()];
      app.unacked.clear();
      for (const orphan of orphans)
        send(orphan.text, orphan.clientId);
      if (!greeted) {
        // The browser hides a refused handshake's status: ask the room whether it was the key.
        checkKey(epoch).then((ok) => { if (ok) retrySocket(epoch); });
        return;
      }
      retrySocket(epoch);
    };
  }

  async function retrySocket(epoch) {
    if (await backoff(epoch))
      openSocket(epoch);
  }

  async function checkKey(epoch) {
    try {
      const response = await fetch(apiUrl('/api/room', { key: app.key }), { cache: 'no-store' });
      if (epoch === app.epoch && response.status === 401) {
        keyRejected();
        return false;
      }
    } catch {
      // The server is away; keep retrying.
    }
    return epoch === app.epoch;
  }

  // ---- sending -----------------------------------------------------------------------------

  function showSendError(message) {
    $('send-error').textContent = message ? t('sendFailed', { error: message }) : '';
  }

  async function send(text, clientId) {
    const retrying = clientId !== undefined;
    showSendError('');
    if (!clientId) {
      // Sending again what just failed is a retry of the same message, not a new one.
      clientId = app.lastFailed && app.lastFailed.text === text
        ? app.lastFailed.clientId : app.clientPrefix + (++app.sendId);
    }
    app.lastFailed = null;
    const mode = app.mode;
    const c = app.counters[mode];
    if (mode === 'websocket' && app.ws && app.wsReady && app.ws.readyState === WebSocket.OPEN) {
      const id = ++app.sendId;
      const payload = JSON.stringify({ type: 'send', text, id, client_id: clientId });
      app.unacked.set(id, { text, clientId });
      app.ws.send(payload);
      c.up += frameSize(utf8Length(payload), true);
      renderStats();
      return true;
    }
    // Polling and long polling post over HTTP; `via` charges the post to the mode's counters
    // on the server. A WebSocket that is reconnecting falls back to a plain post.
    const url = apiUrl('/api/messages',
      { via: mode === 'websocket' ? undefined : mode, key: app.key });
    const body = JSON.stringify({ nick: app.nick, text, client_id: clientId });
    try {
      const response = await fetch(url, { method: 'POST', body, cache: 'no-store',
        headers: { 'Content-Type': 'application/json' } });
      const answer = await response.text();
      const answerBytes = utf8Length(answer);
      c.requests += 1;
      c.up += requestHeadEstimate('POST', url, utf8Length(body)) + utf8Length(body);
      c.down += responseHeadEstimate(response, answerBytes) + answerBytes;
      renderStats();
      if (response.status === 401) {
        keyRejected();
        return false;
      }
      if (!response.ok) {
        let message = response.statusText;
        try {
          message = JSON.parse(answer).error || message;
        } catch {
          // keep the status text
        }
        showSendError(response.status === 429 ? t('rateLimited') : message);
        return false;
      }
      return true;
    } catch (error) {
      if (retrying)
        app.resendQueue.push({ text, clientId }); // not in the input box: keep it ourselves
      else
        app.lastFailed = { text, clientId };
      showSendError(t('notConnected'));
      return false;
    }
  }

  // ---- room: key check, online list, clock offset --------------------------------------------

  async function fetchRoom(key) {
    const sentAt = Date.now();
    const response = await fetch(apiUrl('/api/room', { key }), { cache: 'no-store' });
    const receivedAt = Date.now();
    if (response.status === 401)
      return { status: 401 };
    if (!response.ok)
      throw new Error(`${response.status} ${response.statusText}`);
    const room = await response.json();
    addOffsetSample(sentAt, receivedAt, room.now);
    return { status: 200, room };
  }

  function showRoom(room) {
    if (typeof room.name === 'string' && room.name) {
      $('room-name').textContent = room.name;
      document.title = `${room.name} · PushChat`;
    }
    if (Array.isArray(room.online)) {
      app.online = room.online.filter((m) => m && typeof m.nick === 'string')
        .sort((a, b) => a.nick.localeCompare(b.nick));
      renderOnline();
    }
  }

  function scheduleRoomRefresh(delay) {
    clearTimeout(app.roomTimer);
    app.roomTimer = setTimeout(refreshRoom, delay);
  }

  async function refreshRoom() {
    if (!app.joined)
      return;
    try {
      const result = await fetchRoom(app.key);
      if (!app.joined)
        return;
      if (result.status === 401)
        return keyRejected();
      showRoom(result.room);
    } catch {
      // The transport shows the connection state; the list just waits for the next round.
    }
    scheduleRoomRefresh(ROOM_REFRESH_MS);
  }

  function keyRejected() {
    stopTransport();
    app.joined = false;
    clearTimeout(app.roomTimer);
    setState('idle');
    app.keyRequired = true;
    $('key-row').hidden = false;
    $('chat-view').hidden = true;
    $('join-view').hidden = false;
    $('join-error').textContent = app.key ? t('keyWrong') : t('keyNeeded');
    $('key').focus();
  }

  // ---- join --------------------------------------------------------------------------------

  async function join(event) {
    event.preventDefault();
    const error = $('join-error');
    error.textContent = '';
    const nick = $('nick').value.trim();
    const key = $('key').value;
    if (!nick) {
      error.textContent = t('nickEmpty');
      return;
    }
    if ([...nick].length > MAX_NICK_CHARS) {
      error.textContent = t('nickTooLong');
      return;
    }
    if (app.keyRequired && !key) {
      error.textContent = t('keyNeeded');
      $('key').focus();
      return;
    }
    $('join-button').disabled = true;
    try {
      const result = await fetchRoom(key);
      if (result.status === 401) {
        app.keyRequired = true;
        $('key-row').hidden = false;
        error.textContent = key ? t('keyWrong') : t('keyNeeded');
        $('key').focus();
        return;
      }
      app.nick = nick;
      app.key = key;
      app.joined = true;
      try {
        localStorage.setItem('pushchat.nick', nick);
      } catch {
        // storage may be disabled; the nick just is not remembered
      }
      showRoom(result.room);
      $('join-view').hidden = true;
      $('chat-view').hidden = false;
      renderEmptyLog();
      startTransport();
      scheduleRoomRefresh(ROOM_REFRESH_MS);
      $('text').focus();
    } catch (failure) {
      error.textContent = t('serverUnreachable', { error: failure.message || String(failure) });
    } finally {
      $('join-button').disabled = false;
    }
  }

  async function probeRoom() {
    try {
      const result = await fetchRoom('');
      if (result.status === 401 || result.room?.key_required) {
        app.keyRequired = true;
        $('key-row').hidden = false;
      } else {
        showRoom({ name: result.room.name });
      }
    } catch (failure) {
      $('join-error').textContent =
        t('serverUnreachable', { error: failure.message || String(failure) });
    }
  }

  // ---- controls ----------------------------------------------------------------------------

  // The slider is logarithmic: 0…100 maps to 100 ms…10 s, 50 to 1 s.
  const sliderToMs = (v) => Math.round(100 * 100 ** (v / 100));
  const msToSlider = (ms) => Math.round(50 * Math.log10(ms / 100));

  function setMode(mode) {
    if (!MODES.includes(mode) || mode === app.mode)
      return;
    app.mode = mode;
    try {
      localStorage.setItem('pushchat.mode', mode);
    } catch {
      // not remembered
    }
    renderModeHint();
    renderStats();
    if (app.joined) {
      notice(t('switched', { mode: modeName(mode) }), 'notice switch');
      startTransport();
    }
  }

  function init() {
    try {
      app.lang = localStorage.getItem('pushchat.lang') ||
        ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en');
      const mode = localStorage.getItem('pushchat.mode');
      if (MODES.includes(mode))
        app.mode = mode;
      const interval = Number(localStorage.getItem('pushchat.interval'));
      if (interval >= 100 && interval <= 10000)
        app.intervalMs = interval;
      $('nick').value = localStorage.getItem('pushchat.nick') || '';
    } catch {
      // defaults
    }
    const params = new URLSearchParams(location.search);
    if (STRINGS[params.get('lang')])
      app.lang = params.get('lang');
    if (MODES.includes(params.get('mode')))
      app.mode = params.get('mode');

    for (const radio of document.querySelectorAll('input[name="mode"]')) {
      radio.checked = radio.value === app.mode;
      radio.addEventListener('change', () => { if (radio.checked) setMode(radio.value); });
    }
    const slider = $('interval');
    slider.value = String(msToSlider(app.intervalMs));
    slider.addEventListener('input', () => {
      app.intervalMs = sliderToMs(Number(slider.value));
      try {
        localStorage.setItem('pushchat.interval', String(app.intervalMs));
      } catch {
        // not remembered
      }
      renderModeHint();
      app.wake?.(); // a shorter interval takes effect now, not after the old pause
    });
    $('lang').addEventListener('click', () => {
      app.lang = app.lang === 'zh' ? 'en' : 'zh';
      try {
        localStorage.setItem('pushchat.lang', app.lang);
      } catch {
        // not remembered
      }
      applyLanguage();
    });
    $('join-form').addEventListener('submit', join);
    $('composer').addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = $('text');
      const text = input.value;
      if (!text.trim())
        return;
      if (utf8Length(text) > 4096) {
        showSendError('> 4096 bytes');
        return;
      }
      input.value = '';
      if (!(await send(text)) && !input.value)
        input.value = text;
    });
    applyLanguage();
    renderStats();
    probeRoom();
  }

  init();
})();
