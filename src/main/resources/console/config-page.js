// Configuration page: one tenant's config as a form drawn from the server's schema (labels, help, types and
// rules come from the mailer's own field declarations). Save validates here, then on the server with the
// mailer's rules, publishes to the config topic and waits to hear whether the mailer applied or rejected it.
// Save names the version the form was read at: when someone else changed the config since, the server refuses
// it (409) rather than let this form undo their change, and the page offers to reload.
import {get, post, ApiError} from './api.js';
import {el, toast, dialog, formatTime, pageHead} from './ui.js';

const TENANT_PATTERN = /^[A-Za-z0-9._@-]{1,100}$/;

export async function configPage(root, [routeTenant]) {
  const [schema, {tenants}] = await Promise.all([get('api/schema'), get('api/tenants')]);
  const tenant = routeTenant || tenants[0] || 'default';
  if (!routeTenant) {
    history.replaceState(null, '', `#/config/${encodeURIComponent(tenant)}`);
  }
  const current = await get('api/config', {tenant});
  const page = new ConfigForm(root, schema, tenants, tenant, current);
  page.render();
  return () => page.leave();
}

class ConfigForm {
  constructor(root, schema, tenants, tenant, current) {
    this.root = root;
    this.schema = schema;
    this.tenants = tenants;
    this.tenant = tenant;
    this.current = current;
    this.inputs = new Map();      // field name -> input element
    this.rows = new Map();        // field name -> its row (for show/hide and errors)
    this.fields = new Map();      // field name -> schema entry
    this.polling = null;
  }

  leave() {
    if (this.polling) clearTimeout(this.polling);
  }

  render() {
    const select = el('select', {id: 'tenant-select', 'aria-label': 'Tenant'},
      [...new Set([...this.tenants, this.tenant])].sort().map((t) =>
        el('option', {value: t, selected: t === this.tenant}, t)));
    select.addEventListener('change', () => { location.hash = `#/config/${encodeURIComponent(select.value)}`; });
    const add = el('button.btn', {type: 'button', id: 'add-tenant', onclick: () => this.addTenant()}, '+ Add tenant');

    this.root.append(pageHead('Configuration', 'How this tenant\'s emails are sent. Changes take effect when the mailer applies them, within seconds.'
      + ' If someone else changes it while you edit, Save refuses and offers to reload it: nothing of theirs is undone.',
      el('label.muted.small', {for: 'tenant-select'}, 'Tenant'), select, add));
    this.root.append(this.versionNotice());

    this.form = el('form', {id: 'config-form', novalidate: true, 'aria-label': `Configuration of tenant ${this.tenant}`});
    for (const group of this.schema.groups) {
      this.form.append(this.groupCard(group));
    }
    this.message = el('div', {id: 'save-message', role: 'status', 'aria-live': 'polite'});
    this.form.append(el('div.save-bar', {},
      this.message,
      el('div.buttons', {},
        el('button.btn', {type: 'button', id: 'test-button', onclick: () => this.openTest()}, 'Test connection'),
        el('button.btn.btn-primary', {type: 'submit', id: 'save-button'}, 'Save'))));
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.save(); });
    this.form.addEventListener('change', () => this.applyConditions());
    this.root.append(this.form);
    this.applyConditions();
  }

  versionNotice() {
    const notice = this.inForceNotice();
    if (!this.current.rejected) return notice;
    return el('div', {id: 'version-notices'}, notice, el('p.notice.notice-warn', {id: 'rejected-notice'},
      `The tenant's latest record was rejected by the mailer (${this.current.rejected}). `
      + (this.current.exists ? 'The configuration below stays in force.' : 'Its emails wait.')));
  }

  inForceNotice() {
    const v = this.current.version;
    if (!this.current.exists) {
      return el('p.notice.notice-info', {id: 'version-notice'},
        `Tenant "${this.tenant}" has no configuration yet: fill in the form and save to create it. Its emails wait until then.`);
    }
    const changed = v.changedFields && v.changedFields.length ? ` · last change: ${v.changedFields.join(', ')}` : '';
    return el('p.muted.small', {id: 'version-notice'}, `In force since ${formatTime(v.at)} (offset ${v.offset})${changed}`);
  }

  groupCard(group) {
    const grid = el('div.card-body.group-grid');
    const advanced = el('details.advanced', {}, el('summary', {}, 'Advanced: national clouds and test endpoints'));
    for (const f of group.fields) {
      this.fields.set(f.name, f);
      const row = this.fieldRow(f);
      (f.advanced ? advanced : grid).append(row);
    }
    if (advanced.children.length > 1) grid.append(advanced);
    return el('section.card', {'aria-labelledby': `group-${group.id}`, id: `group-${group.id}`},
      el('div.card-head', {}, el('h2', {id: `group-${group.id}`}, group.title), el('p.muted.small', {text: group.description})),
      grid);
  }

  fieldRow(f) {
    const id = `f-${f.name}`;
    const help = el('p.help', {id: `${id}-help`, text: f.help});
    const error = el('p.error', {id: `${id}-error`, hidden: true});
    const described = `${id}-help ${id}-error`;
    const value = this.current.values[f.name];
    let row;
    let input;
    if (f.type === 'BOOLEAN') {
      input = el('input', {type: 'checkbox', id, name: f.name, role: 'switch', 'aria-describedby': described,
        checked: value === true});
      row = el('div.field.wide', {},
        el('label.switch', {for: id}, input,
          el('span.switch-text', {}, el('span.label', {text: f.label}), help)),
        error);
    } else {
      const required = el('span.required-mark', {hidden: true}, 'Required');
      const label = el('label', {for: id}, f.label, required);
      if (f.type === 'SECRET') {
        const isSet = this.current.secrets[f.name] === true;
        input = el('input', {type: 'password', id, name: f.name, autocomplete: 'new-password',
          'aria-describedby': described,
          placeholder: isSet ? 'Set — leave empty to keep it' : 'Not set'});
        const remove = isSet ? el('input', {type: 'checkbox', id: `${id}-remove`, name: `${f.name}-remove`}) : null;
        const meta = el('div.secret-meta', {},
          el(`span.chip.${isSet ? 'chip-ok' : 'chip-muted'}`, {id: `${id}-state`}, isSet ? 'Set' : 'Not set'),
          remove ? el('label', {for: `${id}-remove`}, remove, 'Remove it') : null);
        if (remove) remove.addEventListener('change', () => { input.disabled = remove.checked; });
        row = el('div.field', {}, label, input, meta, help, error);
      } else {
        const type = {INT: 'number', HTTPS_URL: 'url'}[f.type] || 'text';
        const attrs = {type, id, name: f.name, 'aria-describedby': described,
          inputmode: f.type === 'ADDRESS' ? 'email' : undefined, spellcheck: f.type === 'STRING' ? undefined : 'false',
          value: value === null || value === undefined ? '' : String(value),
          placeholder: f.default !== null && f.default !== undefined ? `Default: ${f.default}` : ''};
        if (f.type === 'INT') Object.assign(attrs, {min: f.min, max: f.max, step: 1, inputmode: 'numeric'});
        input = el('input', attrs);
        row = el('div.field', {}, label, input, help, error);
      }
      row.required = required;
    }
    this.inputs.set(f.name, input);
    this.rows.set(f.name, row);
    return row;
  }

  checkedBoxes() {
    const checked = new Set();
    for (const [name, input] of this.inputs) {
      if (input.type === 'checkbox' && input.checked) checked.add(name);
    }
    return checked;
  }

  /** Shows, hides and marks required the fields whose conditions depend on the checkboxes. */
  applyConditions() {
    const checked = this.checkedBoxes();
    for (const [name, f] of this.fields) {
      const row = this.rows.get(name);
      row.hidden = !holds(f.shownWhen, checked);
      if (row.required) {
        const required = holds(f.requiredWhen, checked);
        row.required.hidden = !required;
        this.inputs.get(name).required = required;
        this.inputs.get(name).setAttribute('aria-required', String(required));
      }
    }
  }

  /** The browser's checks, with the same messages' spirit as the server's; the server checks again. */
  validate() {
    const errors = {};
    const checked = this.checkedBoxes();
    for (const [name, f] of this.fields) {
      const input = this.inputs.get(name);
      if (f.type === 'BOOLEAN') continue;
      // A secret is taken as typed (a password may begin or end with a space); other fields trimmed.
      const v = f.type === 'SECRET' ? input.value : input.value.trim();
      const keepsSecret = f.type === 'SECRET' && this.current.secrets[name] && !input.disabled;
      if (!v) {
        if (holds(f.requiredWhen, checked) && !keepsSecret) errors[name] = 'is required';
        continue;
      }
      if (f.type === 'INT') {
        if (!/^-?\d+$/.test(v)) errors[name] = 'must be a whole number';
        else if (Number(v) < f.min || Number(v) > f.max) {
          errors[name] = f.max >= 2147483647 ? `must be at least ${f.min}` : `must be between ${f.min} and ${f.max}`;
        }
      } else if (f.type === 'ADDRESS' && !looksLikeAddress(v)) {
        errors[name] = 'must be an email address such as donotreply@company.example';
      } else if (f.type === 'HTTPS_URL' && !/^https:\/\/[^\s/]+/.test(v)) {
        errors[name] = 'must be an https:// URL';
      }
    }
    if (checked.has('startTls') && checked.has('smtpSsl')) {
      errors.smtpSsl = 'excludes STARTTLS: choose implicit TLS or STARTTLS, not both';
    }
    if (checked.has('fallbackStartTls') && checked.has('fallbackSmtpSsl')) {
      errors.fallbackSmtpSsl = 'excludes its STARTTLS: choose implicit TLS or STARTTLS, not both';
    }
    return errors;
  }

  showErrors(errors) {
    for (const [name, row] of this.rows) {
      const err = row.querySelector('.error');
      const input = this.inputs.get(name);
      if (errors[name]) {
        err.textContent = `${this.fields.get(name).label} ${errors[name]}`.replace(/^(.)/, (c) => c.toUpperCase());
        err.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        row.hidden = false;
      } else {
        err.hidden = true;
        err.textContent = '';
        input.removeAttribute('aria-invalid');
      }
    }
    const names = Object.keys(errors);
    const unknown = names.filter((n) => !this.rows.has(n));
    if (names.length) {
      const first = this.inputs.get(names.find((n) => this.inputs.has(n)));
      this.setMessage('bad', `${names.length} field${names.length > 1 ? 's need' : ' needs'} attention`
        + (unknown.length ? `: ${unknown.map((n) => `${n} ${errors[n]}`).join('; ')}` : '.'));
      if (first) {
        const details = first.closest('details');
        if (details) details.open = true;
        first.focus();
      }
    }
  }

  /** The form as the server takes it: every field as text; empty secrets are left out, so they are kept. */
  payload() {
    const values = {};
    const unset = [];
    for (const [name, f] of this.fields) {
      const input = this.inputs.get(name);
      if (f.type === 'BOOLEAN') {
        values[name] = String(input.checked);
      } else if (f.type === 'SECRET') {
        const remove = document.getElementById(`f-${name}-remove`);
        if (remove && remove.checked) unset.push(name);
        else if (input.value) values[name] = input.value;
      } else {
        values[name] = input.value.trim();
      }
    }
    return {tenant: this.tenant, baseVersion: this.current.baseVersion, values, unset};
  }

  setMessage(kind, text) {
    this.message.replaceChildren(text ? el(`p.notice.notice-${kind}`, {}, text) : '');
  }

  async save() {
    const errors = this.validate();
    this.showErrors(errors);
    if (Object.keys(errors).length) return;
    const button = document.getElementById('save-button');
    button.disabled = true;
    this.setMessage('info', 'Saving…');
    try {
      const saved = await post('api/config', this.payload());
      for (const [name, f] of this.fields) {
        if (f.type === 'SECRET') this.inputs.get(name).value = '';
      }
      // The form now shows what was saved: a further Save goes over this version.
      this.current.baseVersion = saved.offset;
      this.setMessage('info', `Saved (offset ${saved.offset}). Waiting for the mailer to apply it…`);
      this.awaitOutcome(saved.sequence, Date.now());
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        this.showConflict(e.message);
      } else if (e instanceof ApiError && e.body.fields) {
        this.showErrors(e.body.fields);
      } else {
        this.setMessage('bad', e.message);
      }
    } finally {
      button.disabled = false;
    }
  }

  /** Someone else changed the config since this form was read: nothing was saved; offer the version in force. */
  showConflict(text) {
    const reload = el('button.btn', {type: 'button', id: 'reload-button', onclick: () => this.reload()},
      'Reload the configuration');
    this.message.replaceChildren(el('div.notice.notice-bad', {id: 'conflict-notice'},
      el('p', {}, text.replace(/^(.)/, (c) => c.toUpperCase())), reload));
    reload.focus();
  }

  async reload() {
    if (this.polling) clearTimeout(this.polling);
    const [{tenants}, current] = await Promise.all([get('api/tenants'), get('api/config', {tenant: this.tenant})]);
    this.tenants = tenants;
    this.current = current;
    this.root.replaceChildren();
    this.inputs.clear();
    this.rows.clear();
    this.fields.clear();
    this.render();
  }

  async awaitOutcome(sequence, started) {
    let outcome;
    try {
      outcome = await get('api/config/outcome', {tenant: this.tenant, after: sequence});
    } catch (e) {
      this.setMessage('bad', e.message);
      return;
    }
    if (outcome.state === 'APPLIED') {
      this.setMessage('ok', `Applied by the mailer at ${formatTime(outcome.at)}.`);
      toast(`Configuration of ${this.tenant} applied`);
      this.reloadAfterSave();
    } else if (outcome.state === 'REJECTED') {
      this.setMessage('bad', `Rejected by the mailer: ${outcome.reason}. The previous configuration stays in force.`);
    } else if (Date.now() - started > 30000) {
      this.setMessage('warn', 'Saved, but the mailer has not applied it yet: is it running? It applies the record when it reads it.');
    } else {
      this.polling = setTimeout(() => this.awaitOutcome(sequence, started), 500);
    }
  }

  async reloadAfterSave() {
    const message = this.message.cloneNode(true);
    await this.reload();
    this.message.replaceWith(message);
    this.message = message;
  }

  async addTenant() {
    const input = el('input', {type: 'text', id: 'new-tenant', name: 'tenant', required: true, autocomplete: 'off',
      pattern: TENANT_PATTERN.source, 'aria-describedby': 'new-tenant-help'});
    const body = el('div.field', {}, el('label', {for: 'new-tenant'}, 'Tenant ID'), input,
      el('p.help', {id: 'new-tenant-help'}, 'The tenant field of the emails, e.g. "acme". Letters, digits, dot, dash, underscore and @.'));
    const choice = await dialog('Add a tenant', body, [
      {label: 'Cancel', value: 'cancel'},
      {label: 'Continue', value: 'ok', primary: true, test: 'add-tenant-ok'}]);
    const name = input.value.trim();
    if (choice !== 'ok' || !name) return;
    if (!TENANT_PATTERN.test(name)) {
      toast('A tenant ID has 1 to 100 letters, digits, dots, dashes, underscores or @.');
      return;
    }
    location.hash = `#/config/${encodeURIComponent(name)}`;
  }

  async openTest() {
    const errors = this.validate();
    this.showErrors(errors);
    if (Object.keys(errors).length) return;
    const to = el('input', {type: 'email', id: 'test-to', placeholder: 'you@company.example', autocomplete: 'email'});
    const steps = el('ul.steps', {id: 'test-steps', 'aria-live': 'polite'});
    const run = el('button.btn.btn-primary', {type: 'button', id: 'run-test'}, 'Run test');
    const d = el('dialog', {'aria-labelledby': 'test-title'},
      el('div.dialog-body', {},
        el('h2', {id: 'test-title'}, `Test the configuration of ${this.tenant}`),
        el('p.muted.small', {}, 'Runs the form as filled in (saved or not) against the real server: connection, TLS, sign-in or token, and optionally a test email.'),
        el('div.field', {}, el('label', {for: 'test-to'}, 'Send a test email to (optional)'), to),
        steps,
        el('div.dialog-buttons', {},
          el('button.btn', {type: 'button', onclick: () => d.close()}, 'Close'), run)));
    to.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); run.click(); }
    });
    run.addEventListener('click', async () => {
      run.disabled = true;
      steps.replaceChildren(el('li', {}, el('span.mark', {}, '…'), 'Running…'));
      try {
        const report = await post('api/config/test', {...this.payload(), sendTo: to.value.trim()});
        // With a fallback server, its steps follow the primary's, each group under its own heading.
        const items = [];
        let server = null;
        for (const s of report.steps) {
          if (s.server && s.server !== server) {
            server = s.server;
            items.push(el('li.server', {}, el('strong', {},
              server === 'fallback' ? 'Fallback server' : 'Primary server')));
          }
          items.push(el(`li.${s.ok ? 'ok' : 'bad'}`, {},
            el('span.mark', {'aria-hidden': 'true'}, s.ok ? '✓' : '✗'),
            el('span', {}, el('strong', {}, s.name), ` — ${s.ok ? 'OK' : 'failed'}${s.detail ? `: ${s.detail}` : ''}`)));
        }
        steps.replaceChildren(...items);
        steps.append(el(`li.${report.ok ? 'ok' : 'bad'}`, {id: 'test-result'},
          el('span.mark', {}, ''), el('strong', {}, report.ok ? 'The configuration works.' : 'The test failed.')));
      } catch (e) {
        steps.replaceChildren(el('li.bad', {}, el('span.mark', {}, '✗'),
          e.body && e.body.fields ? Object.entries(e.body.fields).map(([k, v]) => `${k} ${v}`).join('; ') : e.message));
      } finally {
        run.disabled = false;
      }
    });
    d.addEventListener('close', () => d.remove());
    document.body.append(d);
    d.showModal();
  }
}

/** A first check only (local@domain, or Name <local@domain>); the server applies the mailer's full rule. */
function looksLikeAddress(v) {
  const bare = v.endsWith('>') && v.includes('<') ? v.slice(v.lastIndexOf('<') + 1, -1) : v;
  return /^[^\s@<>]+@[^\s@<>]+$/.test(bare);
}

function holds(when, checked) {
  if (!when) return false;
  const any = when.anyChecked.length === 0 || when.anyChecked.some((n) => checked.has(n));
  return any && !when.noneChecked.some((n) => checked.has(n));
}
