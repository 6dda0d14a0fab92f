// Messages on their way out. Every message carries a client_id, so a send repeated after a
// broken link is stored once: sending again what just failed reuses its client_id, and a send
// whose fate a dropped socket left unknown is posted again with it.
import { Outcome } from './transports.js';

export class Outbox {
  #view;
  #handlers;
  // This page's own: eight random base-36 characters, so that two pages' ids never meet.
  #clientPrefix = Math.random().toString(36).slice(2, 10) + '-';
  #count = 0;
  #lastFailed = null;   // { text, clientId } of the latest send that did not go through
  #waiting = [];        // { text, clientId } of orphaned sends to post once connected again

  // handlers: transport() the current transport, keyRejected()
  constructor(view, handlers) {
    this.#view = view;
    this.#handlers = handlers;
  }

  // Text the user typed; false when it did not go through (the caller keeps it in the box).
  send(text) {
    const clientId = this.#lastFailed?.text === text
      ? this.#lastFailed.clientId : this.#clientPrefix + ++this.#count;
    return this.#send({ text, clientId }, false);
  }

  // Sends a dropped socket never answered; they are not in the input box, so the outbox keeps
  // any that cannot go out now.
  resend(unsents) {
    for (const unsent of unsents)
      this.#send(unsent, true);
  }

  // The link is back: what waited goes out, oldest first.
  connected() {
    this.resend(this.#waiting.splice(0));
  }

  // The server refused a send: it goes back to the input box with the error, and sending it
  // again is a retry of the same message.
  refused(unsent, status, error) {
    if (unsent) {
      this.#lastFailed = unsent;
      this.#view.restoreInput(unsent.text);
    }
    this.#view.showSendError(status === 429 ? this.#view.t('rateLimited') : error);
  }

  async #send(unsent, queued) {
    this.#view.showSendError('');
    this.#lastFailed = null;
    const result = await this.#handlers.transport().send(unsent.text, unsent.clientId);
    switch (result.outcome) {
    case Outcome.sent:
      return true;
    case Outcome.keyRejected:
      this.#handlers.keyRejected();
      return false;
    case Outcome.refused:
      this.refused(unsent, result.status, result.error);
      return false;
    default: // Outcome.unreachable
      if (queued)
        this.#waiting.push(unsent);
      else
        this.#lastFailed = unsent;
      this.#view.showSendError(this.#view.t('notConnected'));
      return false;
    }
  }
}
