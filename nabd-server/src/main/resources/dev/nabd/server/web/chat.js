// The web chat page of `nabd serve`: plain JavaScript, no build step, nothing fetched from elsewhere.
// It talks to the server's own OpenAI-compatible API, streams answers (server-sent events read from a
// fetch body), renders Markdown with a small renderer of its own, and keeps the conversation, the
// settings and the API key in this browser's localStorage.
'use strict';

// ---------------------------------------------------------------------------------------------------
// Markdown: HTML is escaped first, then a small block parser (fences, headings, lists, quotes, tables,
// rules, paragraphs) and an inline pass (code, links, emphasis). Every block says dir="auto" so each
// paragraph of an answer finds its own direction; code stays left to right.
// ---------------------------------------------------------------------------------------------------
const Markdown = (() => {
  const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  const escape = s => s.replace(/[&<>"']/g, c => ESC[c]);

  const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
  const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
  const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
  const QUOTE = /^ {0,3}> ?(.*)$/;
  const ITEM = /^( *)([-*+]|\d{1,9}[.)])(?: +(.*)|$)/;
  const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

  /** Links only to the web, mail, or this page; anything else (javascript:, data:) stays plain text. */
  function safeHref(url) {
    const u = url.trim();
    if (/^(https?:\/\/|mailto:)/i.test(u) || /^[/#?]/.test(u)) {
      return u;
    }
    return null;
  }

  function link(href, labelHtml) {
    return `<a href="${escape(href)}" target="_blank" rel="noopener noreferrer">${labelHtml}</a>`;
  }

  /** Bold, italic and strike-through over text that is already escaped. */
  function emphasis(s) {
    return s
      .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?!\w)/g, '$1<strong>$2</strong>')
      .replace(/\*(?=[^\s*])([^*]*?[^\s*])\*/g, '<em>$1</em>')
      .replace(/(^|[^\w])_(?=[^\s_])([^_]*?[^\s_]|[^\s_])_(?!\w)/g, '$1<em>$2</em>')
      .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<del>$1</del>');
  }

  /**
   * One line (or a paragraph's lines) of inline Markdown. Code spans and links are set aside as
   * numbered slots first, so emphasis never reaches into code or into an address.
   */
  function inline(raw) {
    const slots = [];
    const keep = html => '\u0000' + (slots.push(html) - 1) + '\u0000';
    let s = raw.replace(/\u0000/g, '');
    s = s.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_, ticks, code) => keep('<code>' + escape(code.replace(/^ (.*) $/s, '$1')) + '</code>'));
    s = s.replace(/\[([^\]\n]+)\]\(\s*<?([^()\s<>]+)>?(?:\s+"[^"]*")?\s*\)/g, (all, label, url) => {
      const href = safeHref(url);
      return href ? keep(link(href, emphasis(escape(label)))) : all;
    });
    s = s.replace(/<(https?:\/\/[^\s<>]+)>/g, (_, url) => keep(link(url, escape(url))));
    s = s.replace(/\bhttps?:\/\/[^\s<>"'`\u0000]*[^\s<>"'`\u0000.,;:!?)\]}*_]/g, url => keep(link(url, escape(url))));
    s = emphasis(escape(s)).replace(/\n/g, '<br>');
    for (let pass = 0; pass < 3 && s.includes('\u0000'); pass++) {
      s = s.replace(/\u0000(\d+)\u0000/g, (_, i) => slots[Number(i)]);
    }
    return s;
  }

  function codeBlock(code, lang) {
    const label = lang ? escape(lang) : 'code';
    return `<div class="code"><div class="code-head"><span>${label}</span>`
      + '<button type="button" class="copy" title="Copy the code">Copy</button></div>'
      + `<pre dir="ltr"><code>${escape(code)}</code></pre></div>`;
  }

  function cells(line) {
    let s = line.trim();
    if (s.startsWith('|')) s = s.slice(1);
    if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
    return s.split(/(?<!\\)\|/).map(c => c.trim().replace(/\\\|/g, '|'));
  }

  function table(header, rule, rows) {
    const aligns = cells(rule).map(c => c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : '');
    const cell = (tag, text, i) => `<${tag} dir="auto"${aligns[i] ? ` style="text-align:${aligns[i]}"` : ''}>${inline(text)}</${tag}>`;
    const head = cells(header).map((c, i) => cell('th', c, i)).join('');
    const body = rows.map(r => '<tr>' + cells(r).slice(0, Math.max(aligns.length, 1)).map((c, i) => cell('td', c, i)).join('') + '</tr>').join('');
    return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
  }

  /** Where a list starting at lines[i] ends, and its items' lines (each item dedented). */
  function list(lines, i) {
    const first = ITEM.exec(lines[i]);
    const indent = first[1].length;
    const ordered = /\d/.test(first[2]);
    const start = ordered ? parseInt(first[2], 10) : 1;
    const items = [];
    let current = null;
    let contentIndent = 0;
    let blank = false;
    for (; i < lines.length; i++) {
      const line = lines[i];
      const m = ITEM.exec(line);
      if (m && m[1].length <= indent + 1 && /\d/.test(m[2]) === ordered) {
        current = [m[3] || ''];
        items.push(current);
        contentIndent = m[1].length + m[2].length + 1;
        blank = false;
        continue;
      }
      if (/^\s*$/.test(line)) {
        blank = true;
        current.push('');
        continue;
      }
      const lead = line.match(/^ */)[0].length;
      if (lead > indent) {
        current.push(line.slice(Math.min(lead, contentIndent)));
        blank = false;
        continue;
      }
      if (!blank && !m && !FENCE.test(line) && !HEADING.test(line) && !RULE.test(line) && !QUOTE.test(line)) {
        current.push(line);   // a lazy continuation of the item's paragraph
        continue;
      }
      break;
    }
    while (current.length > 1 && current[current.length - 1] === '') current.pop();
    const tag = ordered ? 'ol' : 'ul';
    const startAttr = ordered && start !== 1 ? ` start="${start}"` : '';
    const html = `<${tag}${startAttr}>` + items.map(item => `<li dir="auto">${blocks(item.join('\n'), true)}</li>`).join('') + `</${tag}>`;
    return { html, next: i };
  }

  function startsBlock(line, next) {
    return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line)
      || (line.includes('|') && next !== undefined && TABLE_RULE.test(next) && next.includes('-'));
  }

  /** Block-level Markdown; {@code tight}: a single paragraph comes out without its <p> (list items). */
  function blocks(text, tight) {
    const lines = text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').split('\n');
    const out = [];
    let paragraphs = 0;
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if (/^\s*$/.test(line)) {
        i++;
      } else if ((m = FENCE.exec(line))) {
        const marker = m[1];
        const close = new RegExp('^ {0,3}' + (marker[0] === '`' ? '`' : '~') + '{' + marker.length + ',}\\s*$');
        const body = [];
        for (i++; i < lines.length && !close.test(lines[i]); i++) body.push(lines[i]);
        i++;   // the closing fence (or the end of a half-streamed block)
        out.push(codeBlock(body.join('\n'), m[2]));
      } else if ((m = HEADING.exec(line))) {
        const level = m[1].length;
        out.push(`<h${level} dir="auto">${inline(m[2] || '')}</h${level}>`);
        i++;
      } else if (RULE.test(line)) {
        out.push('<hr>');
        i++;
      } else if (QUOTE.test(line)) {
        const body = [];
        for (; i < lines.length && (m = QUOTE.exec(lines[i])); i++) body.push(m[1]);
        out.push(`<blockquote dir="auto">${blocks(body.join('\n'), false)}</blockquote>`);
      } else if (ITEM.test(line)) {
        const l = list(lines, i);
        out.push(l.html);
        i = l.next;
      } else if (line.includes('|') && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1]) && lines[i + 1].includes('-')) {
        const header = line;
        const rule = lines[i + 1];
        const rows = [];
        for (i += 2; i < lines.length && lines[i].includes('|') && !/^\s*$/.test(lines[i]); i++) rows.push(lines[i]);
        out.push(table(header, rule, rows));
      } else {
        const para = [line];
        for (i++; i < lines.length && !/^\s*$/.test(lines[i]) && !startsBlock(lines[i], lines[i + 1]); i++) para.push(lines[i]);
        out.push(`<p dir="auto">${inline(para.join('\n'))}</p>`);
        paragraphs++;
      }
    }
    if (tight && out.length >= 1 && paragraphs === 1 && out[0].startsWith('<p dir="auto">')) {
      out[0] = out[0].slice('<p dir="auto">'.length, -'</p>'.length);
    }
    return out.join('');
  }

  return { render: text => blocks(text, false), escape };
})();

// ---------------------------------------------------------------------------------------------------
// Reasoning: `<think>…</think>` in an answer (or an answer that starts inside one, when the chat
// template opened it) is split from the reply so it can be shown dimmed and folded.
// ---------------------------------------------------------------------------------------------------
function splitThinking(text) {
  const parts = [];
  let rest = text;
  const close = rest.indexOf('</think>');
  const open = rest.indexOf('<think>');
  if (close >= 0 && (open < 0 || close < open)) {
    parts.push({ think: true, text: rest.slice(0, close), done: true });
    rest = rest.slice(close + '</think>'.length);
  }
  for (;;) {
    const start = rest.indexOf('<think>');
    if (start < 0) {
      parts.push({ think: false, text: rest });
      break;
    }
    parts.push({ think: false, text: rest.slice(0, start) });
    rest = rest.slice(start + '<think>'.length);
    const end = rest.indexOf('</think>');
    if (end < 0) {
      parts.push({ think: true, text: rest, done: false });
      break;
    }
    parts.push({ think: true, text: rest.slice(0, end), done: true });
    rest = rest.slice(end + '</think>'.length);
  }
  return parts.filter(p => p.think || p.text.trim() !== '');
}

/** What a later turn sends back: the reply without its reasoning, as chat templates expect. */
function withoutThinking(text) {
  return splitThinking(text).filter(p => !p.think).map(p => p.text).join('').trim();
}

// ---------------------------------------------------------------------------------------------------
// Storage: the conversation, the settings and the API key, each under its own key.
// ---------------------------------------------------------------------------------------------------
const STORE = { chat: 'nabd.chat.v1', settings: 'nabd.settings.v1', key: 'nabd.apiKey' };
const DEFAULT_SETTINGS = { system: '', temperature: '0.7', top_p: '0.95', max_tokens: '', extra: '' };

function readJson(key, fallback) {
  try {
    const v = JSON.parse(localStorage.getItem(key));
    return v && typeof v === 'object' ? v : fallback;
  } catch {
    return fallback;
  }
}

function writeJson(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch (e) {
    console.warn('could not save ' + key, e);
  }
}

const apiKey = {
  get: () => localStorage.getItem(STORE.key) || '',
  set: k => (k ? localStorage.setItem(STORE.key, k) : localStorage.removeItem(STORE.key)),
};

let settings = { ...DEFAULT_SETTINGS, ...readJson(STORE.settings, {}) };
let chat = readJson(STORE.chat, { messages: [] });
if (!Array.isArray(chat.messages)) chat = { messages: [] };
for (const m of chat.messages) {
  // An answer still streaming when the page went away ends there.
  if (m.pending) {
    m.pending = false;
    m.stopped = true;
  }
}

// ---------------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------------
const $ = id => document.getElementById(id);
const ui = {
  scroller: $('scroller'), messages: $('messages'), empty: $('empty'), model: $('model'),
  form: $('composer'), input: $('input'), send: $('send'), stop: $('stop'), newChat: $('new-chat'),
  settings: $('settings'), settingsForm: $('settings-form'), settingsError: $('settings-error'),
  system: $('system-prompt'), temperature: $('temperature'), topP: $('top-p'), maxTokens: $('max-tokens'), extra: $('extra'),
  keyDialog: $('key-dialog'), keyForm: $('key-form'), key: $('key'), keyReason: $('key-reason'),
};

let modelId = null;
let running = null;   // { controller, message, element } while an answer streams

class ApiError extends Error {}

/** The message of an OpenAI-style error body, or the status when there is none. */
async function errorMessage(resp) {
  const text = await resp.text().catch(() => '');
  try {
    const j = JSON.parse(text);
    if (j && j.error) return typeof j.error === 'string' ? j.error : (j.error.message || JSON.stringify(j.error));
  } catch {
    // not JSON: the text itself, if short enough to read
  }
  return text && text.length < 300 ? `${resp.status}: ${text}` : `HTTP ${resp.status} ${resp.statusText}`;
}

let keyPrompt = null;

/** Asks for the API key in a small dialog; resolves to the key, or null when cancelled. */
function askKey(reason) {
  if (keyPrompt) return keyPrompt;
  ui.keyReason.textContent = reason;
  ui.key.value = apiKey.get();
  keyPrompt = new Promise(resolve => {
    const done = value => {
      ui.keyForm.removeEventListener('submit', onSubmit);
      ui.keyDialog.removeEventListener('close', onClose);
      ui.keyDialog.close();
      keyPrompt = null;
      resolve(value);
    };
    const onSubmit = e => {
      e.preventDefault();
      const k = ui.key.value.trim();
      if (k) done(k);
    };
    const onClose = () => done(null);
    ui.keyForm.addEventListener('submit', onSubmit);
    ui.keyDialog.addEventListener('close', onClose);
    $('key-cancel').onclick = () => done(null);
    ui.keyDialog.showModal();
    ui.key.focus();
  });
  return keyPrompt;
}

/** fetch with the API key; a 401 asks for a key (again) and retries until one works or the user gives up. */
async function apiFetch(path, init = {}) {
  for (;;) {
    const headers = { ...(init.headers || {}) };
    const key = apiKey.get();
    if (key) headers.Authorization = 'Bearer ' + key;
    const resp = await fetch(path, { ...init, headers });
    if (resp.status !== 401) return resp;
    const message = await errorMessage(resp);
    const given = await askKey(key ? 'The server refused this key: ' + message
      : 'This server asks for an API key (nabd serve --api-key).');
    if (given === null) throw new ApiError(message);
    apiKey.set(given);
  }
}

async function loadModel() {
  try {
    const resp = await apiFetch('/v1/models');
    if (resp.status === 503) {
      ui.model.textContent = 'loading model…';
      setTimeout(loadModel, 1000);
      return;
    }
    if (!resp.ok) throw new ApiError(await errorMessage(resp));
    const card = (await resp.json()).data[0];
    modelId = card.id;
    ui.model.textContent = card.id;
    ui.model.classList.remove('bad');
    const meta = card.meta || {};
    ui.model.title = [meta.architecture, meta.context_length && `context ${meta.context_length}`].filter(Boolean).join(' · ') || card.id;
  } catch (e) {
    ui.model.textContent = e instanceof ApiError ? 'API key needed' : 'server unreachable';
    ui.model.title = e.message;
    ui.model.classList.add('bad');
    if (!(e instanceof ApiError)) setTimeout(loadModel, 3000);
  }
}

// ----- rendering -------------------------------------------------------------------------------------

function formatStats(m) {
  const parts = [];
  const s = m.stats;
  if (s && s.tokens) {
    parts.push(`${s.tokens} token${s.tokens === 1 ? '' : 's'}`);
    if (s.tps) parts.push(`${s.tps.toFixed(s.tps >= 100 ? 0 : 1)} tok/s`);
    if (s.ttft != null) parts.push(`first token ${s.ttft < 1000 ? Math.round(s.ttft) + ' ms' : (s.ttft / 1000).toFixed(1) + ' s'}`);
  }
  if (m.pending) parts.unshift('generating');
  if (m.stopped) parts.push('stopped');
  if (m.finish === 'length') parts.push('length limit reached');
  return parts.join(' · ');
}

function renderBody(body, m, element) {
  if (m.role === 'user') {
    body.textContent = m.content;
    return;
  }
  // Fold state of each reasoning block survives re-rendering while the answer streams.
  const open = element.thinkOpen || (element.thinkOpen = {});
  const parts = [];
  if (m.reasoning) parts.push({ think: true, text: m.reasoning, done: !m.pending || !!m.content });
  parts.push(...splitThinking(m.content || ''));
  body.innerHTML = parts.map((p, i) => {
    if (!p.think) return Markdown.render(p.text);
    const isOpen = open[i] ?? !p.done;
    return `<details class="think" data-i="${i}"${isOpen ? ' open' : ''}><summary>${p.done ? 'Reasoning' : 'Thinking…'}</summary>`
      + `<div class="think-body" dir="auto">${Markdown.render(p.text)}</div></details>`;
  }).join('');
}

function messageElement(m, index) {
  const el = document.createElement('article');
  el.className = 'msg ' + m.role;
  el.dataset.index = index;
  const body = document.createElement('div');
  body.className = 'body';
  body.dir = 'auto';
  el.append(body);
  const error = document.createElement('div');
  error.className = 'error';
  error.dir = 'auto';
  el.append(error);
  const meta = document.createElement('div');
  meta.className = 'meta';
  el.append(meta);
  updateElement(el, m);
  return el;
}

function updateElement(el, m) {
  el.classList.toggle('pending', !!m.pending);
  el.classList.toggle('stopped', !!m.stopped);
  el.classList.toggle('failed', !!m.error);
  renderBody(el.querySelector('.body'), m, el);
  const error = el.querySelector('.error');
  error.textContent = m.error || '';
  error.hidden = !m.error;
  const meta = el.querySelector('.meta');
  meta.textContent = m.role === 'assistant' ? formatStats(m) : '';
  meta.hidden = !meta.textContent;
}

function renderAll() {
  ui.messages.replaceChildren(...chat.messages.map(messageElement));
  ui.empty.hidden = chat.messages.length > 0;
  scrollToEnd(true);
}

function nearEnd() {
  const s = ui.scroller;
  return s.scrollHeight - s.scrollTop - s.clientHeight < 80;
}

function scrollToEnd(force) {
  if (force || nearEnd()) ui.scroller.scrollTop = ui.scroller.scrollHeight;
}

function append(m) {
  chat.messages.push(m);
  const el = messageElement(m, chat.messages.length - 1);
  ui.messages.append(el);
  ui.empty.hidden = true;
  return el;
}

function save() {
  writeJson(STORE.chat, chat);
}

function setRunning(r) {
  running = r;
  ui.send.hidden = !!r;
  ui.stop.hidden = !r;
  ui.form.classList.toggle('busy', !!r);
}

// ----- sending ---------------------------------------------------------------------------------------

/** The conversation as the API wants it: system prompt, then turns; failed empty answers are left out with their question. */
function history() {
  const out = [];
  if (settings.system.trim()) out.push({ role: 'system', content: settings.system });
  const msgs = chat.messages;
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i];
    if (m.pending) continue;
    if (m.role === 'user') {
      const answer = msgs[i + 1];
      if (answer && answer.role === 'assistant' && answer.error && !answer.content) {
        i++;
        continue;
      }
      out.push({ role: 'user', content: m.content });
    } else {
      const text = withoutThinking(m.content || '');
      if (text) out.push({ role: 'assistant', content: text });
    }
  }
  return out;
}

function requestBody() {
  const body = { messages: history(), stream: true, stream_options: { include_usage: true } };
  if (modelId) body.model = modelId;
  if (settings.temperature !== '') body.temperature = Number(settings.temperature);
  if (settings.top_p !== '') body.top_p = Number(settings.top_p);
  if (settings.max_tokens !== '') body.max_tokens = Number(settings.max_tokens);
  if (settings.extra.trim()) Object.assign(body, JSON.parse(settings.extra));
  return body;
}

/** Reads an SSE body and calls onEvent with each event's data (joined data lines), until it ends. */
async function readEvents(stream, onEvent) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let data = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (data.length) {
            const payload = data.join('\n');
            data = [];
            if (onEvent(payload) === false) return;
          }
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
        // ':' comments (keep-alives), event: and id: lines carry nothing this page needs
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function sendMessage(text) {
  append({ role: 'user', content: text });
  const m = { role: 'assistant', content: '', pending: true };
  const el = append(m);
  scrollToEnd(true);
  save();
  const controller = new AbortController();
  setRunning({ controller, message: m, element: el });

  let chunks = 0;
  let first = null;
  let last = null;
  let usage = null;
  const started = performance.now();
  let frame = 0;
  let savedAt = 0;
  const refresh = () => {
    frame = 0;
    const stick = nearEnd();
    updateElement(el, m);
    if (stick) scrollToEnd(true);
    if (performance.now() - savedAt > 500) {
      savedAt = performance.now();
      save();
    }
  };
  const stats = () => {
    const tokens = usage && usage.completion_tokens ? usage.completion_tokens : chunks;
    const span = last !== null && first !== null ? last - first : 0;
    m.stats = {
      tokens,
      tps: tokens > 1 && span > 0 ? (tokens - 1) * 1000 / span : null,
      ttft: first !== null ? first - started : null,
    };
  };

  try {
    const resp = await apiFetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(requestBody()),
      signal: controller.signal,
    });
    if (!resp.ok) throw new ApiError(await errorMessage(resp));
    let finished = false;
    await readEvents(resp.body, data => {
      if (data === '[DONE]') {
        finished = true;
        return false;
      }
      const ev = JSON.parse(data);
      if (ev.error) throw new ApiError(typeof ev.error === 'string' ? ev.error : ev.error.message);
      if (ev.usage) usage = ev.usage;
      const choice = ev.choices && ev.choices[0];
      if (!choice) return true;
      const delta = choice.delta || {};
      const piece = (delta.content || '') + (delta.reasoning_content || delta.reasoning || '');
      if (piece) {
        const now = performance.now();
        if (first === null) first = now;
        last = now;
        chunks++;
        if (delta.content) m.content += delta.content;
        if (delta.reasoning_content || delta.reasoning) m.reasoning = (m.reasoning || '') + (delta.reasoning_content || delta.reasoning);
        stats();
        if (!frame) frame = requestAnimationFrame(refresh);
      }
      if (choice.finish_reason) m.finish = choice.finish_reason;
      return true;
    });
    if (!finished) throw new ApiError('the connection closed before the answer was complete');
  } catch (e) {
    if (controller.signal.aborted) {
      m.stopped = true;
    } else if (e instanceof ApiError) {
      m.error = e.message;
    } else if (e instanceof SyntaxError) {
      m.error = 'the server sent an event this page cannot read: ' + e.message;
    } else {
      m.error = 'the request failed: ' + e.message;
    }
  } finally {
    if (frame) cancelAnimationFrame(frame);
    stats();
    m.pending = false;
    if (running && running.message === m) setRunning(null);
    if (chat.messages.includes(m)) {
      const stick = nearEnd();
      updateElement(el, m);
      if (stick) scrollToEnd(true);
      save();
    }
  }
}

function stop() {
  if (running) running.controller.abort();
}

// ----- settings --------------------------------------------------------------------------------------

function fillSettings(s) {
  ui.system.value = s.system;
  ui.temperature.value = s.temperature;
  ui.topP.value = s.top_p;
  ui.maxTokens.value = s.max_tokens;
  ui.extra.value = s.extra;
  ui.settingsError.hidden = true;
}

/** The settings in the form, or an error message. */
function readSettings() {
  const s = {
    system: ui.system.value,
    temperature: ui.temperature.value.trim(),
    top_p: ui.topP.value.trim(),
    max_tokens: ui.maxTokens.value.trim(),
    extra: ui.extra.value.trim(),
  };
  const inRange = (v, lo, hi) => v === '' || (Number.isFinite(Number(v)) && Number(v) >= lo && Number(v) <= hi);
  if (!inRange(s.temperature, 0, 2)) return 'Temperature goes from 0 to 2.';
  if (!inRange(s.top_p, 0, 1)) return 'Top p goes from 0 to 1.';
  if (s.max_tokens !== '' && !(Number.isInteger(Number(s.max_tokens)) && Number(s.max_tokens) >= 1)) return 'Max tokens is a whole number, at least 1 (or empty: no limit).';
  if (s.extra) {
    let v;
    try {
      v = JSON.parse(s.extra);
    } catch (e) {
      return 'More request fields: not JSON (' + e.message + ').';
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) return 'More request fields: a JSON object, like {"top_k": 40}.';
  }
  return s;
}

// ----- wiring ----------------------------------------------------------------------------------------

function autoGrow() {
  const max = window.innerHeight * 0.4;
  ui.input.style.height = 'auto';
  ui.input.style.height = Math.min(ui.input.scrollHeight + 2, max) + 'px';
  ui.input.style.overflowY = ui.input.scrollHeight + 2 > max ? 'auto' : 'hidden';
}

ui.form.addEventListener('submit', e => {
  e.preventDefault();
  const text = ui.input.value;
  if (running || !text.trim()) return;
  ui.input.value = '';
  autoGrow();
  sendMessage(text);
});

ui.input.addEventListener('keydown', e => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.form.requestSubmit();
  } else if (e.key === 'Escape' && running) {
    stop();
  }
});
ui.input.addEventListener('input', autoGrow);
ui.stop.addEventListener('click', stop);

ui.newChat.addEventListener('click', () => {
  stop();
  setRunning(null);
  chat = { messages: [] };
  save();
  renderAll();
  ui.input.focus();
});

$('open-settings').addEventListener('click', () => {
  fillSettings(settings);
  ui.settings.showModal();
});
$('settings-cancel').addEventListener('click', () => ui.settings.close());
$('settings-reset').addEventListener('click', () => fillSettings(DEFAULT_SETTINGS));
ui.settingsForm.addEventListener('submit', e => {
  e.preventDefault();
  const s = readSettings();
  if (typeof s === 'string') {
    ui.settingsError.textContent = s;
    ui.settingsError.hidden = false;
    return;
  }
  settings = s;
  writeJson(STORE.settings, settings);
  ui.settings.close();
});

ui.model.addEventListener('click', () => {
  if (ui.model.classList.contains('bad')) loadModel();
});

// Code blocks: copy buttons (the clipboard API needs a secure context; a hidden textarea works elsewhere).
ui.messages.addEventListener('click', async e => {
  const button = e.target.closest('button.copy');
  if (!button) return;
  const code = button.closest('.code').querySelector('code').textContent;
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    const t = document.createElement('textarea');
    t.value = code;
    t.style.position = 'fixed';
    t.style.opacity = '0';
    document.body.append(t);
    t.select();
    document.execCommand('copy');
    t.remove();
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
});

// Reasoning blocks: remember what the reader folded or unfolded, so a re-render keeps it that way.
ui.messages.addEventListener('click', e => {
  const summary = e.target.closest('details.think > summary');
  if (!summary) return;
  const details = summary.parentElement;
  const article = details.closest('article');
  (article.thinkOpen || (article.thinkOpen = {}))[details.dataset.i] = !details.open;
});

// Another tab changed the conversation: show it (unless this tab is in the middle of an answer).
window.addEventListener('storage', e => {
  if (e.key === STORE.chat && !running) {
    chat = readJson(STORE.chat, { messages: [] });
    renderAll();
  } else if (e.key === STORE.settings) {
    settings = { ...DEFAULT_SETTINGS, ...readJson(STORE.settings, {}) };
  }
});

renderAll();
setRunning(null);
autoGrow();
loadModel();
ui.input.focus();
