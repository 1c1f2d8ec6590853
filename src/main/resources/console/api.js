// Talks to the console's JSON API. Every state-changing call carries the session's CSRF token in a header,
// which a page of another site cannot read or set.
let csrf = null;

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : `The mailer answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

export async function session() {
  const s = await get('/console/api/session');
  csrf = s.csrf;
  return s;
}

export async function get(path, params) {
  const url = params ? `${path}?${new URLSearchParams(clean(params))}` : path;
  return handle(await fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}}));
}

export async function post(path, body) {
  return handle(await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {'Content-Type': 'application/json', 'Accept': 'application/json', 'X-CSRF-Token': csrf || ''},
    body: JSON.stringify(body || {}),
  }));
}

async function handle(response) {
  if (response.status === 401) {
    window.location.assign('/console/login');
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
