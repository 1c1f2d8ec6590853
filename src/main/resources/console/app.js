// The console's shell: signs the session in, routes #/config, #/dead-letters, #/status, #/suppressions and
// #/templates to their pages.
import {session, post, at} from './api.js';
import {toast} from './ui.js';
import {configPage} from './config-page.js';
import {deadLettersPage} from './dead-letters-page.js';
import {statusPage} from './status-page.js';
import {suppressionsPage} from './suppressions-page.js';
import {templatesPage} from './templates-page.js';

const pages = {'config': configPage, 'dead-letters': deadLettersPage, 'status': statusPage,
  'suppressions': suppressionsPage, 'templates': templatesPage};
let leave = null;

async function route() {
  const [, name = 'config', ...rest] = (location.hash || '#/config').slice(1).split('/');
  const page = pages[name] ? name : 'config';
  for (const a of document.querySelectorAll('.sidebar nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (leave) leave();
  leave = null;
  const root = document.getElementById('page');
  root.replaceChildren();
  document.title = `${{config: 'Configuration', 'dead-letters': 'Dead letters', status: 'Status',
    suppressions: 'Suppressions', templates: 'Templates'}[page]} · Kafka Mailer`;
  try {
    leave = await pages[page](root, rest.map(decodeURIComponent));
  } catch (e) {
    root.replaceChildren(Object.assign(document.createElement('p'), {className: 'notice notice-bad', textContent: e.message}));
  }
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await post('logout');
  } finally {
    location.assign(at('login'));
  }
});

session().then((s) => {
  document.getElementById('who').textContent = `Signed in as ${s.who}`;
  window.addEventListener('hashchange', route);
  route();
}).catch((e) => toast(e.message));
