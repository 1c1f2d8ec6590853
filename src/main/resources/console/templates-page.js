// Templates page: a tenant's templates, an editor for subject, text and HTML, a preview the SERVER renders from the
// sample data typed here (the HTML shown in a sandboxed frame: no scripts, no forms, no same-origin access), Save,
// Delete, and "Send a test", which sends what the editor renders now, as a plain email of the tenant.
import {get, post, at} from './api.js';
import {el, pageHead, toast, dialog} from './ui.js';

const PARTS = ['subject', 'text', 'html', 'data'];

export async function templatesPage(root) {
  const tenant = el('input', {type: 'text', id: 'tpl-tenant', name: 'tenant', value: 'default', autocomplete: 'off'});
  const list = el('div', {id: 'tpl-list', 'aria-live': 'polite'});
  const name = el('input', {type: 'text', id: 'tpl-name', name: 'name', autocomplete: 'off',
    placeholder: 'e.g. invoice', pattern: '[A-Za-z0-9._-]{1,100}'});
  const fields = {
    subject: el('input', {type: 'text', id: 'tpl-subject', name: 'subject', autocomplete: 'off',
      placeholder: 'Invoice {{number}}'}),
    text: el('textarea.code', {id: 'tpl-text', name: 'text', rows: 7, spellcheck: 'false'}),
    html: el('textarea.code', {id: 'tpl-html', name: 'html', rows: 9, spellcheck: 'false'}),
    data: el('textarea.code', {id: 'tpl-data', name: 'data', rows: 5, spellcheck: 'false'}),
  };
  fields.data.value = '{}';
  const errors = Object.fromEntries(PARTS.map((p) => [p, el('p.error', {id: `tpl-${p}-error`, hidden: true})]));
  const outcome = el('div', {id: 'tpl-outcome', 'aria-live': 'polite'});
  const testTo = el('input', {type: 'email', id: 'tpl-test-to', name: 'to', autocomplete: 'email',
    placeholder: 'you@example.com'});
  const preview = el('div', {id: 'tpl-preview-area'});

  const field = (id, label, input, help) => el('div.field', {},
    el('label', {for: id}, label), input, help ? el('p.help', {}, help) : null,
    errors[id.replace('tpl-', '')] || null);

  root.append(pageHead('Templates', 'A tenant\u2019s Mustache templates: emails that name one are rendered with'
    + ' their data when they are sent. In html, {{x}} is HTML-escaped and {{{x}}} is not; subject and text are not'
    + ' escaped.'));
  const lookup = el('form', {id: 'tpl-lookup-form', role: 'search'},
    el('div.filters', {},
      el('div.field', {}, el('label', {for: 'tpl-tenant'}, 'Tenant'), tenant),
      el('button.btn.btn-primary', {type: 'submit', id: 'tpl-load'}, 'Show templates'),
      el('button.btn', {type: 'button', id: 'tpl-new', onclick: () => edit(null)}, 'New template')));
  root.append(el('section.card', {'aria-labelledby': 'tpl-list-title'},
    el('div.card-head', {}, el('h2', {id: 'tpl-list-title'}, 'The tenant\u2019s templates')),
    el('div.card-body', {}, lookup, list)));
  root.append(el('section.card', {'aria-labelledby': 'tpl-edit-title'},
    el('div.card-head', {}, el('h2', {id: 'tpl-edit-title'}, 'Editor'),
      el('p.muted.small', {}, 'Preview renders on the server and publishes nothing. Save checks the template as'
        + ' the mailer will, then publishes it.')),
    el('div.card-body', {},
      field('tpl-name', 'Name', name, 'Letters, digits, dot, dash and underscore.'),
      field('tpl-subject', 'Subject', fields.subject),
      field('tpl-text', 'Text body', fields.text, 'Leave empty for an HTML-only template.'),
      field('tpl-html', 'HTML body', fields.html, 'Leave empty for a text-only template.'),
      field('tpl-data', 'Sample data (JSON)', fields.data, 'As an email\u2019s "data" would carry it.'),
      outcome,
      el('div.toolbar', {},
        el('button.btn', {type: 'button', id: 'tpl-preview', onclick: showPreview}, 'Preview'),
        el('button.btn.btn-primary', {type: 'button', id: 'tpl-save', onclick: save}, 'Save'),
        el('button.btn.btn-danger', {type: 'button', id: 'tpl-delete', onclick: remove}, 'Delete')),
      el('div.field', {}, el('label', {for: 'tpl-test-to'}, 'Send a test to'),
        el('div.input-row', {}, testTo,
          el('button.btn', {type: 'button', id: 'tpl-test', onclick: sendTest}, 'Send a test')),
        el('p.help', {}, 'Sends what the editor renders now with the sample data (saved or not) as a plain email'
          + ' of the tenant, through the tenant\u2019s config.')),
      preview)));

  lookup.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });

  function body() {
    const b = {tenant: tenant.value.trim(), name: name.value.trim()};
    for (const p of PARTS) b[p] = fields[p].value;
    return b;
  }

  function clearErrors() {
    outcome.replaceChildren();
    for (const p of PARTS) {
      errors[p].hidden = true;
      errors[p].textContent = '';
      fields[p].removeAttribute('aria-invalid');
    }
  }

  /** A refusal: on its part (with the line) when the server names one, else above the buttons. */
  function showError(err) {
    const part = err.body && err.body.part;
    if (part && errors[part]) {
      errors[part].textContent = err.message;
      errors[part].hidden = false;
      fields[part].setAttribute('aria-invalid', 'true');
    }
    outcome.replaceChildren(el('p.notice.notice-bad', {id: 'tpl-error', 'data-part': part || '',
      'data-line': err.body && err.body.line ? String(err.body.line) : ''}, err.message));
  }

  async function load() {
    list.replaceChildren(el('p.empty', {}, 'Loading\u2026'));
    try {
      const r = await get('api/templates', {tenant: tenant.value.trim()});
      list.replaceChildren(r.templates.length ? table(r.templates)
        : el('p.empty', {id: 'tpl-none'}, 'No templates for this tenant yet.'),
      r.truncated ? el('p.muted.small', {}, 'Only the first 500 are shown.') : '');
    } catch (err) {
      list.replaceChildren(el('p.notice.notice-bad', {id: 'tpl-list-error'}, err.message));
    }
  }

  function table(rows) {
    return el('div.table-wrap', {}, el('table.cards', {id: 'tpl-rows'},
      el('thead', {}, el('tr', {}, ['Name', 'Subject', 'Bodies', ''].map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, rows.map((t) => el('tr', {'data-name': t.name},
        el('td', {'data-label': 'Name'}, t.name),
        el('td', {'data-label': 'Subject'}, t.subject),
        el('td', {'data-label': 'Bodies'}, [t.text != null ? 'text' : null, t.html != null ? 'html' : null]
          .filter(Boolean).join(', ')),
        el('td', {}, el('button.btn.btn-small.edit', {type: 'button', onclick: () => edit(t)}, 'Edit')))))));
  }

  function edit(t) {
    clearErrors();
    preview.replaceChildren();
    name.value = t ? t.name : '';
    fields.subject.value = t ? t.subject : '';
    fields.text.value = t && t.text != null ? t.text : '';
    fields.html.value = t && t.html != null ? t.html : '';
    name.focus();
  }

  async function showPreview() {
    clearErrors();
    try {
      const r = await post('api/templates/preview', body());
      // The rendered HTML, kept a moment by the server, goes into a frame that runs no script and has an origin
      // of its own; the server's policy for it lets inline styles in and nothing from elsewhere.
      const frame = r.frame ? el('iframe', {id: 'tpl-preview-html', sandbox: '', referrerpolicy: 'no-referrer',
        title: 'Rendered HTML body', src: at(r.frame)}) : null;
      preview.replaceChildren(el('h3', {}, 'Preview'),
        el('p', {}, el('strong', {}, 'Subject: '), el('span', {id: 'tpl-preview-subject'}, r.subject)),
        el('h4', {}, 'Text'), el('pre.preview-text', {id: 'tpl-preview-text'}, r.text == null ? '(none)' : r.text),
        el('h4', {}, 'HTML'), frame || el('p.muted', {}, '(none)'));
      preview.scrollIntoView({block: 'start'});
    } catch (err) {
      showError(err);
    }
  }

  async function save() {
    clearErrors();
    try {
      const r = await post('api/templates/save', body());
      outcome.replaceChildren(el('p.notice.notice-ok', {id: 'tpl-saved'}, `Saved ${r.key}: the mailer uses it for`
        + ' the next emails that name it.'));
      toast(`Saved ${r.key}`);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function remove() {
    clearErrors();
    const b = body();
    const answer = await dialog('Delete this template?',
      el('p', {}, `Emails of tenant ${b.tenant} that name ${b.name} will wait for it (retried until the tenant\u2019s`
        + ' maxErrorSeconds) until it is saved again.'),
      [{label: 'Cancel', value: 'cancel'}, {label: 'Delete', value: 'delete', danger: true, primary: true,
        test: 'confirm-delete'}]);
    if (answer !== 'delete') return;
    try {
      const r = await post('api/templates/delete', {tenant: b.tenant, name: b.name});
      toast(`Deleted ${r.deleted}`);
      edit(null);
      await load();
    } catch (err) {
      showError(err);
    }
  }

  async function sendTest() {
    clearErrors();
    try {
      const r = await post('api/templates/test', {...body(), to: testTo.value.trim()});
      outcome.replaceChildren(el('p.notice.notice-ok', {id: 'tpl-test-sent'},
        `Test email ${r.id} published to the outbox; follow it on the Status page.`));
    } catch (err) {
      showError(err);
    }
  }

  await load();
}
