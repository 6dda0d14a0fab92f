// What each mode has cost this page since it was opened: the figures of the cost table.
import { MODES, requestHeadEstimate, responseHeadEstimate, utf8Length } from './wire.js';

// Latencies kept per mode for the percentiles; older ones drop out.
const MAX_LATENCY_SAMPLES = 2000;

export class ModeCost {
  requests = 0;   // for WebSocket: connections opened
  empty = 0;      // answers without a message
  messages = 0;   // messages delivered
  up = 0;         // bytes sent
  down = 0;       // bytes received
  #latencies = [];

  addLatency(ms) {
    this.#latencies.push(ms);
    if (this.#latencies.length > MAX_LATENCY_SAMPLES)
      this.#latencies.shift();
  }

  // The latencies at the given quantiles (0…1), null where there is none yet.
  latencyQuantiles(...quantiles) {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    return quantiles.map((q) => (sorted.length === 0 ? null
      : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]));
  }

  // One HTTP request and its answer; the heads are estimates (see wire.js).
  chargeExchange(method, url, requestBody, response, answerBody) {
    const requestBytes = utf8Length(requestBody);
    const answerBytes = utf8Length(answerBody);
    this.requests += 1;
    this.up += requestHeadEstimate(method, url, requestBytes) + requestBytes;
    this.down += responseHeadEstimate(response, answerBytes) + answerBytes;
  }
}

export function costsByMode() {
  return Object.fromEntries(MODES.map((mode) => [mode, new ModeCost()]));
}
