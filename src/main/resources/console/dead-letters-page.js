// Dead letters page: what the mailer gave up on, filtered by tenant and kind; the original event on demand;
// replay one or all shown into the outbox, after a confirmation, with the count replayed.
import {get, post} from './api.js';
import {el, toast, dialog, formatTime, pageHead, chipFor} from './ui.js';

const KINDS = ['INVALID', 'PERMANENT', 'EXPIRED'];

export async function deadLettersPage(root) {
  const {tenants} = await get('api/tenants');
  const tenant = el('select', {id: 'dlq-tenant'}, el('option', {value: ''}, 'All tenants'),
    [...new Set([...tenants, 'unknown'])].map((t) => el('option', {value: t}, t)));
  const kind = el('select', {id: 'dlq-kind'}, el('option', {value: ''}, 'All kinds'),
    KINDS.map((k) => el('option', {value: k}, k.charAt(0) + k.slice(1).toLowerCase())));
  const refresh = el('button.btn', {type: 'button', id: 'dlq-refresh'}, 'Refresh');
  const replayAll = el('button.btn.btn-primary', {type: 'button', id: 'dlq-replay-all', disabled: true}, 'Replay all shown');
  const count = el('span.muted.small', {id: 'dlq-count'});
  const body = el('div.card-body.flush', {id: 'dlq-table'});
  let shown = [];

  root.append(pageHead('Dead letters', 'Emails the mailer gave up on: invalid events, permanent refusals, and those still failing after the maximum error time. Replaying one sends it again, its attempts starting afresh.'));
  root.append(el('section.card', {'aria-label': 'Dead letters'},
    el('div.filters', {},
      el('div.field', {}, el('label', {for: 'dlq-tenant'}, 'Tenant'), tenant),
      el('div.field', {}, el('label', {for: 'dlq-kind'}, 'Kind'), kind),
      refresh, el('span.spacer'), count, replayAll),
    body));

  async function load() {
    body.replaceChildren(el('p.empty', {}, 'Loading…'));
    try {
      const result = await get('api/dead-letters', {tenant: tenant.value, kind: kind.value});
      shown = result.deadLetters;
      count.textContent = shown.length === 1 ? '1 dead letter' : `${shown.length} dead letters`;
      if (result.truncated) count.textContent += ' (the latest shown)';
      replayAll.disabled = !shown.some((d) => d.replayable);
      body.replaceChildren(shown.length ? table(shown) : el('p.empty', {}, 'No dead letters here. Good news.'));
    } catch (e) {
      body.replaceChildren(el('p.notice.notice-bad', {}, e.message));
    }
  }

  function table(rows) {
    return el('div.table-wrap', {}, el('table.cards', {id: 'dlq-rows'},
      el('thead', {}, el('tr', {}, ['ID', 'Tenant', 'Kind', 'Reason', 'Attempts', 'First failure', ''].map((h, i) =>
        el(`th${i === 4 ? '.num' : ''}`, {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((d) => el('tr', {'data-key': d.key},
        el('td.mono', {'data-label': 'ID'}, d.id || '(no key)',
          d.laterSent ? el('span.chip.chip-ok', {title: 'A later attempt was sent'}, ' sent later') : null),
        el('td', {'data-label': 'Tenant'}, d.tenant),
        el('td', {'data-label': 'Kind'}, chipFor(d.kind)),
        el('td.reason', {'data-label': 'Reason'}, d.reason),
        el('td.num', {'data-label': 'Attempts'}, String(d.attempts)),
        el('td', {'data-label': 'First failure'}, formatTime(d.firstFailure)),
        el('td.actions', {},
          el('button.btn.btn-small', {type: 'button', 'data-action': 'view', onclick: () => view(d),
            'aria-label': `View the event of ${d.id}`}, 'Event'), ' ',
          el('button.btn.btn-small', {type: 'button', 'data-action': 'replay', disabled: !d.replayable,
            onclick: () => replay([d]), 'aria-label': `Replay ${d.id}`}, 'Replay')))))));
  }

  async function view(d) {
    try {
      // By its place on the topic: two tenants may have a letter with the same id.
      const event = await get('api/dead-letters/event', {key: d.key});
      await dialog(`Event ${d.id} (${d.tenant})`, el('div', {},
        el('p.muted.small', {}, `From ${d.source}; dead-lettered ${formatTime(d.deadLetteredAt)}.`),
        el('pre', {id: 'dlq-event'}, event.text),
        event.truncated ? el('p.muted.small', {}, `The first part only: the event has ${event.valueBytes} bytes;`
          + ' dlq show --id prints it whole.') : false), [{label: 'Close', value: 'close', autofocus: true}]);
    } catch (e) {
      toast(e.message);
    }
  }

  async function replay(letters) {
    const replayable = letters.filter((d) => d.replayable);
    const n = replayable.length;
    const what = n === 1 ? `the dead letter "${replayable[0].id}"` : `${n} dead letters`;
    const choice = await dialog('Replay into the outbox?', el('p', {},
      `This sends ${what} to the outbox again; attempts start afresh. An email that was in fact delivered may be delivered twice.`),
      [{label: 'Cancel', value: 'cancel', autofocus: true}, {label: `Replay ${n}`, value: 'replay', primary: true, test: 'confirm-replay'}]);
    if (choice !== 'replay') return;
    try {
      const result = await post('api/dead-letters/replay',
        {keys: replayable.map((d) => d.key), tenant: tenant.value, kind: kind.value});
      toast(result.replayed === 1 ? '1 dead letter replayed' : `${result.replayed} dead letters replayed`);
      count.textContent = `${result.replayed} replayed`;
    } catch (e) {
      toast(e.message);
    }
  }

  tenant.addEventListener('change', load);
  kind.addEventListener('change', load);
  refresh.addEventListener('click', load);
  replayAll.addEventListener('click', () => replay(shown));
  await load();
  return null;
}
