// The room as GET /api/room describes it: name, key, limits and the online list, asked for
// before joining and every few seconds while joined. Each answer's `now` is a clock sample.
import { Paths, apiUrl, decodeRoom } from './wire.js';

const REFRESH_MS = 3000;

// { status: 401 } when the key is wrong, { status: 200, room } otherwise; throws when the
// server cannot be reached or answers with another error.
export async function fetchRoom(key, clock) {
  const sentAt = Date.now();
  const response = await fetch(apiUrl(Paths.room, { key }), { cache: 'no-store' });
  const receivedAt = Date.now();
  if (response.status === 401)
    return { status: 401 };
  if (!response.ok)
    throw new Error(`${response.status} ${response.statusText}`);
  const room = decodeRoom(await response.json());
  clock.addSample(sentAt, receivedAt, room.now);
  return { status: 200, room };
}

// Keeps the online list fresh while joined: calls shown(room) after each answer, keyRejected()
// when the key stops working.
export class RoomWatch {
  #session;
  #handlers;
  #timer = null;
  #running = false;

  constructor(session, handlers) {
    this.#session = session;
    this.#handlers = handlers;
  }

  start() {
    this.#running = true;
    this.refreshIn(REFRESH_MS);
  }

  stop() {
    this.#running = false;
    clearTimeout(this.#timer);
  }

  refreshIn(delayMs) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#refresh(), delayMs);
  }

  async #refresh() {
    if (!this.#running)
      return;
    try {
      const result = await fetchRoom(this.#session.key, this.#session.clock);
      if (!this.#running)
        return;
      if (result.status === 401)
        return this.#handlers.keyRejected();
      this.#handlers.shown(result.room);
    } catch {
      // The transport shows the connection state; the list just waits for the next round.
    }
    this.refreshIn(REFRESH_MS);
  }
}
