// The chat log: messages, joins and leaves, notices. It follows new lines while the reader is
// at the bottom, and folds long messages.

// Within this many pixels of the bottom, the log follows new lines; further up, the reader is
// reading history and the log stays put.
const FOLLOW_LOG_PX = 80;

// The "you" next to one's own nick, in the log and in the online list.
export function youBadge(text) {
  const badge = document.createElement('span');
  badge.className = 'you';
  badge.textContent = text;
  return badge;
}

export class ChatLog {
  #list = document.getElementById('log');
  #clock;
  #texts;

  // texts: t(key, params) and lang, from the view
  constructor(clock, texts) {
    this.#clock = clock;
    this.#texts = texts;
  }

  showMessage(message, ownNick) {
    const li = document.createElement('li');
    li.dataset.seq = String(message.seq);
    li.dataset.kind = message.kind;
    const time = document.createElement('time');
    time.className = 'when';
    time.dateTime = new Date(message.ts).toISOString();
    time.textContent = new Date(this.#clock.toLocal(message.ts)).toLocaleTimeString(
      this.#texts.lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    const text = document.createElement('span');
    if (message.kind === 'join' || message.kind === 'leave') {
      li.className = 'system';
      text.textContent = this.#texts.t(message.kind === 'join' ? 'joined' : 'left', { nick: message.nick });
      li.append(time, text);
      this.#appendLine(li);
      return;
    }
    const own = message.nick === ownNick;
    li.className = own ? 'msg own' : 'msg';
    const nick = document.createElement('span');
    nick.className = 'nick';
    nick.textContent = message.nick;
    if (own)
      nick.append(' ', youBadge(this.#texts.t('you')));
    text.className = 'text';
    text.textContent = message.text;
    li.append(time, nick, text);
    this.#appendLine(li, () => this.#foldIfLong(li, text));
  }

  notice(text, kind = 'notice') {
    const li = document.createElement('li');
    li.className = kind;
    li.textContent = text;
    this.#appendLine(li);
  }

  // The placeholder of an empty log, in the current language.
  showEmpty() {
    const log = this.#list;
    const placeholder = log.querySelector('.placeholder');
    if (placeholder) {
      placeholder.textContent = this.#texts.t('empty');
    } else if (!log.firstChild) {
      const li = document.createElement('li');
      li.className = 'placeholder';
      li.textContent = this.#texts.t('empty');
      log.append(li);
    }
  }

  // `laidOut` runs once the line is in the log, before the log follows it to the bottom.
  #appendLine(li, laidOut) {
    const log = this.#list;
    const follow = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_LOG_PX;
    log.querySelector('.placeholder')?.remove();
    log.append(li);
    laidOut?.();
    if (follow)
      log.scrollTop = log.scrollHeight;
  }

  // Folds a text that is longer than the folded height (app.css), with a button to unfold it.
  // The button's label is a data-i18n key, so a language switch relabels it.
  #foldIfLong(li, text) {
    text.classList.add('folded');
    if (text.scrollHeight <= text.clientHeight) {
      text.classList.remove('folded');
      return;
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'ghost fold';
    const label = (key) => {
      button.dataset.i18n = key;
      button.textContent = this.#texts.t(key);
    };
    label('showMore');
    button.addEventListener('click', () => label(text.classList.toggle('folded') ? 'showMore' : 'showLess'));
    li.append(button);
  }
}
