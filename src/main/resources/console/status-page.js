// Status page: per-tenant figures over the whole application, and one email's latest status (from the mailer's
// store, one read) or, on request, its whole history (read from the status topic).
import {get} from './api.js';
import {el, formatTime, formatAge, since, pageHead, chipFor} from './ui.js';

export async function statusPage(root, [routeId]) {
  const overview = el('div', {id: 'overview'});
  const id = el('input', {type: 'search', id: 'status-id', name: 'id', placeholder: 'e.g. inv-2026-0042',
    required: true, value: routeId || '', autocomplete: 'off'});
  const history = el('div', {id: 'status-history', 'aria-live': 'polite'});
  const lookup = el('form', {id: 'status-form', role: 'search'},
    el('div.filters', {},
      el('div.field', {}, el('label', {for: 'status-id'}, 'Email ID'), id),
      el('button.btn.btn-primary', {type: 'submit', id: 'status-lookup'}, 'Look up')));

  root.append(pageHead('Status', 'What every instance of the mailer did, per tenant, and the latest status (or the history) of any one email.'));
  root.append(overview);
  root.append(el('section.card', {'aria-labelledby': 'lookup-title'},
    el('div.card-head', {}, el('h2', {id: 'lookup-title'}, 'Look up an email'),
      el('p.muted.small', {}, 'The latest status of one email ID (sent, retry scheduled, dead-lettered, skipped);'
        + ' its full history on request.')),
    lookup, history));

  lookup.addEventListener('submit', async (e) => {
    e.preventDefault();
    const value = id.value.trim();
    if (!value) { id.focus(); return; }
    await show(value, false);
  });

  // The latest status first; "Full history" reads every status event of the ID from the topic.
  async function show(value, full) {
    history.replaceChildren(el('p.empty', {}, 'Looking up…'));
    try {
      const result = await get('api/status', full ? {id: value, history: 'true'} : {id: value});
      const events = full ? result.events : result.latest;
      const more = full ? null : el('button.btn', {type: 'button', id: 'status-full-history',
        onclick: () => show(value, true)}, 'Full history');
      history.replaceChildren(
        result.unavailable ? el('p.notice.notice-warn', {id: 'status-unavailable'},
          `The mailer could not answer: ${result.unavailable}. The full history reads the topic instead.`) : '',
        events.length ? timeline(events)
          : el('p.empty', {}, `No status for "${value}" yet. It may still be pending, or older than the retention.`),
        more || '');
    } catch (err) {
      history.replaceChildren(el('p.notice.notice-bad', {}, err.message));
    }
  }

  async function loadOverview() {
    try {
      const o = await get('api/overview');
      overview.replaceChildren(totals(o.tenants), tenantsTable(o));
    } catch (e) {
      overview.replaceChildren(el('p.notice.notice-bad', {}, e.message));
    }
  }

  await loadOverview();
  if (routeId) lookup.requestSubmit();
  const timer = setInterval(loadOverview, 10000);
  return () => clearInterval(timer);
}

function totals(rows) {
  const sum = (k) => rows.reduce((a, r) => a + (r[k] || 0), 0);
  const stat = (value, label, id) => el('div.stat', {id}, el('div.value', {}, String(value)), el('div.label', {}, label));
  return el('div.stat-grid', {},
    stat(sum('sentLastHour'), 'Sent, last hour', 'total-sent'),
    stat(sum('dueNow'), 'Due now', 'total-due'),
    stat(sum('waitingForRetry'), 'Waiting for retry', 'total-retry'),
    stat(sum('deadLettersLastHour'), 'Dead letters, last hour', 'total-dead'));
}

function tenantsTable(o) {
  const head = ['Tenant', 'Sent (1 h)', 'Due now', 'Waiting for retry', 'Oldest pending', 'Dead letters (1 h)', 'Last run', 'Last error'];
  const rows = o.tenants;
  return el('section.card', {'aria-labelledby': 'overview-title'},
    el('div.card-head', {}, el('h2', {id: 'overview-title'}, 'Per tenant'),
      el('p.muted.small', {}, `All instances; updated ${formatTime(o.at)}${o.partial ? ' — some instances did not answer' : ''}.`)),
    el('div.card-body.flush', {}, rows.length ? el('div.table-wrap', {}, el('table.cards', {id: 'overview-rows'},
      el('thead', {}, el('tr', {}, head.map((h, i) => el(`th${i > 0 && i < 6 ? '.num' : ''}`, {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((r) => el('tr', {'data-tenant': r.tenant},
        el('td', {'data-label': 'Tenant'}, el('a', {href: `#/config/${encodeURIComponent(r.tenant)}`}, r.tenant)),
        el('td.num', {'data-label': 'Sent (1 h)'}, String(r.sentLastHour)),
        el('td.num', {'data-label': 'Due now'}, String(r.dueNow)),
        el('td.num', {'data-label': 'Waiting for retry'}, String(r.waitingForRetry)),
        el('td.num', {'data-label': 'Oldest pending'}, formatAge(r.oldestPendingAgeSeconds)),
        el('td.num', {'data-label': 'Dead letters (1 h)'}, r.deadLettersLastHour ? el('a', {href: '#/dead-letters'},
          el('span.chip.chip-bad', {}, String(r.deadLettersLastHour))) : '0'),
        el('td', {'data-label': 'Last run', title: formatTime(r.lastRunAt)}, since(r.lastRunAt)),
        el('td.reason', {'data-label': 'Last error'}, r.lastError || '—'))))))
      : el('p.empty', {}, 'No tenant yet: add one on the Configuration page.')));
}

function timeline(events) {
  return el('ol.timeline', {id: 'status-events'}, events.map((e) => el('li', {},
    el('div', {}, chipFor(e.status), el('div.muted.small', {}, formatTime(e.at))),
    el('div', {},
      el('div', {}, `Tenant ${e.tenant} · attempt ${e.attempts}${e.transport ? ` · ${e.transport}` : ''}`),
      e.error ? el('div.muted.small', {}, e.error) : null))));
}
