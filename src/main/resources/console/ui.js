// Small DOM helpers shared by the pages: no framework, just elements.

/** el('div.card', {attrs}, children...) */
export function el(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag || 'div');
  if (classes.length) node.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

let toastTimer;
export function toast(message) {
  const t = document.getElementById('toast');
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 5000);
}

/** A modal dialog with the given content and buttons; resolves with the value of the button pressed. */
export function dialog(title, body, buttons) {
  return new Promise((resolve) => {
    const d = el('dialog', {'aria-labelledby': 'dialog-title'});
    const form = el('form', {method: 'dialog'},
      el('h2', {id: 'dialog-title', text: title}),
      body,
      el('div.dialog-buttons', {}, buttons.map((b) =>
        el(`button.btn${b.primary ? '.btn-primary' : ''}${b.danger ? '.btn-danger' : ''}`,
          {value: b.value, type: 'submit', autofocus: b.autofocus, 'data-test': b.test}, b.label))));
    d.append(form);
    // Enter in a field means the primary action, not the first button (Cancel).
    const primary = buttons.find((b) => b.primary);
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && e.target.tagName === 'INPUT' && primary) {
        e.preventDefault();
        d.close(primary.value);
      }
    });
    d.addEventListener('close', () => { d.remove(); resolve(d.returnValue); });
    document.body.append(d);
    d.showModal();
  });
}

export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit'});
}

export function formatAge(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

export function since(iso) {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  return `${formatAge(s)} ago`;
}

export function pageHead(title, subtitle, ...tools) {
  return el('div.page-head', {},
    el('div', {}, el('h1', {text: title}), subtitle ? el('p.muted', {text: subtitle}) : null),
    tools.length ? el('div.toolbar', {}, tools) : null);
}

export function chipFor(status) {
  const kind = {SENT: 'ok', DRAFTED: 'ok', RETRY_SCHEDULED: 'warn', DEAD_LETTERED: 'bad', SKIPPED: 'muted', SUPPRESSED: 'muted',
    INVALID: 'bad', PERMANENT: 'bad', EXPIRED: 'warn'}[status] || 'muted';
  return el(`span.chip.chip-${kind}`, {text: status});
}
