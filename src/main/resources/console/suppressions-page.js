// Suppressions page: look up a tenant's suppressed addresses (or one address), suppress one, lift one. The list
// is the suppressions topic read with the mailer's rules; the mailer applies a change within a moment.
import {get, post} from './api.js';
import {el, formatTime, pageHead, toast, dialog} from './ui.js';

const REASONS = ['MANUAL', 'BOUNCED', 'COMPLAINED', 'UNSUBSCRIBED'];

export async function suppressionsPage(root) {
  const tenant = el('input', {type: 'text', id: 'supp-tenant', name: 'tenant', value: 'default', autocomplete: 'off'});
  const address = el('input', {type: 'search', id: 'supp-address', name: 'address', placeholder: 'e.g. bob@example.com',
    autocomplete: 'off'});
  const reason = el('select', {id: 'supp-reason', name: 'reason'}, REASONS.map((r) => el('option', {value: r}, r)));
  const results = el('div', {id: 'supp-results', 'aria-live': 'polite'});
  const form = el('form', {id: 'supp-form', role: 'search'},
    el('div.filters', {},
      el('div.field', {}, el('label', {for: 'supp-tenant'}, 'Tenant'), tenant),
      el('div.field', {}, el('label', {for: 'supp-address'}, 'Address'), address),
      el('button.btn.btn-primary', {type: 'submit', id: 'supp-lookup'}, 'Look up'),
      el('div.field', {}, el('label', {for: 'supp-reason'}, 'Reason'), reason),
      el('button.btn', {type: 'button', id: 'supp-add', onclick: add}, 'Suppress')));

  root.append(pageHead('Suppressions', 'Addresses the mailer leaves out of a tenant\u2019s emails. UNSUBSCRIBED applies'
    + ' only to emails that carry unsubscribe; BOUNCED, COMPLAINED and MANUAL to every email.'));
  root.append(el('section.card', {'aria-labelledby': 'supp-title'},
    el('div.card-head', {}, el('h2', {id: 'supp-title'}, 'Look up, suppress, lift'),
      el('p.muted.small', {}, 'Leave the address empty to list the tenant\u2019s suppressions.')),
    form, results));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    lookup();
  });

  async function lookup() {
    results.replaceChildren(el('p.empty', {}, 'Looking up\u2026'));
    try {
      const r = await get('api/suppressions', {tenant: tenant.value.trim(), address: address.value.trim()});
      results.replaceChildren(r.suppressions.length ? table(r.suppressions)
        : el('p.empty', {id: 'supp-none'}, 'Not suppressed: the mailer sends to it.'),
      r.truncated ? el('p.muted.small', {}, 'Only the first 200 are shown: give an address to narrow them.') : '');
    } catch (err) {
      results.replaceChildren(el('p.notice.notice-bad', {id: 'supp-error'}, err.message));
    }
  }

  async function add() {
    try {
      const s = await post('api/suppressions/add', {tenant: tenant.value.trim(), address: address.value.trim(),
        reason: reason.value});
      toast(`Suppressed ${s.address} (${s.reason})`);
      await lookup();
    } catch (err) {
      results.replaceChildren(el('p.notice.notice-bad', {id: 'supp-error'}, err.message));
    }
  }

  async function lift(s) {
    const answer = await dialog('Lift this suppression?',
      el('p', {}, `${s.address} will get the emails of tenant ${s.tenant} again.`),
      [{label: 'Cancel', value: 'cancel'}, {label: 'Lift', value: 'lift', primary: true, test: 'confirm-lift'}]);
    if (answer !== 'lift') return;
    try {
      await post('api/suppressions/remove', {tenant: s.tenant, address: s.address});
      toast(`Lifted ${s.address}`);
      await lookup();
    } catch (err) {
      results.replaceChildren(el('p.notice.notice-bad', {id: 'supp-error'}, err.message));
    }
  }

  function table(rows) {
    return el('div.table-wrap', {}, el('table.cards', {id: 'supp-rows'},
      el('thead', {}, el('tr', {}, ['Tenant', 'Address', 'Reason', 'Since', ''].map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((s) => el('tr', {'data-address': s.address},
        el('td', {'data-label': 'Tenant'}, s.tenant),
        el('td', {'data-label': 'Address'}, s.address),
        el('td', {'data-label': 'Reason'}, el('span.chip.chip-muted', {}, s.reason)),
        el('td', {'data-label': 'Since'}, formatTime(s.at)),
        el('td', {}, el('button.btn.btn-small.lift', {type: 'button', onclick: () => lift(s)}, 'Lift')))))));
  }
}
