// The server's clock as this page sees it, so that a message's latency (from the server's `ts`
// to the page showing it) is measured on one clock.

// Offsets of the most recent round trips kept; the shortest of them wins.
const KEPT_SAMPLES = 16;

export class ServerClock {
  offsetMs = 0;          // server time minus page time
  bestRoundTripMs = Infinity;
  #samples = [];
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
  }

  get known() {
    return Number.isFinite(this.bestRoundTripMs);
  }

  now() {
    return Date.now() + this.offsetMs;
  }

  // A server timestamp on the page's clock, for showing it as local time.
  toLocal(serverMs) {
    return serverMs - this.offsetMs;
  }

  // NTP-style: the server's `now` was taken about halfway through the round trip. The sample
  // with the shortest round trip of the recent ones is the most trustworthy.
  addSample(sentAt, receivedAt, serverTime) {
    if (typeof serverTime !== 'number')
      return;
    const roundTrip = receivedAt - sentAt;
    this.#samples.push({ roundTrip, offset: serverTime - (sentAt + receivedAt) / 2 });
    if (this.#samples.length > KEPT_SAMPLES)
      this.#samples.shift();
    const best = this.#samples.reduce((a, b) => (b.roundTrip < a.roundTrip ? b : a));
    this.offsetMs = Math.round(best.offset);
    this.bestRoundTripMs = best.roundTrip;
    this.#onChange();
  }
}
