// Talks to the console's JSON API. Every state-changing call carries the session's CSRF token in a header,
// which a page of another site cannot read or set. Paths are relative to the console's base path, which the
// server writes into every page (mailer.console.base.path): no script names it.
let csrf = null;

/** Where the console is served, as mailer.console.base.path says (e.g. "/ops/mail/"); it always ends with "/". */
export const base = document.querySelector('meta[name="console-base"]').getAttribute('content');

/** The address of a console path such as "api/tenants" or "login". */
export function at(path) {
  return base + path;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `The mailer answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export async function session() {
  const s = await get('api/session');
  csrf = s.csrf;
  return s;
}

export async function get(path, params) {
  const url = params ? `${at(path)}?${new URLSearchParams(clean(params))}` : at(path);
  return handle(await fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}}));
}

export async function post(path, body) {
  return handle(await fetch(at(path), {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf || ''},
    body: JSON.stringify(body || {}),
  }));
}

async function handle(response) {
  if (response.status === 401) {
    window.location.assign(at('login'));
    throw new ApiError(401, {error: 'Your session has ended: sign in again.'});
  }
  const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, body);
  }
  return body;
}

function clean(params) {
  const out = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') out[k] = v;
  }
  return out;
}
