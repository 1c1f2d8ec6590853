// Sign-in: posts the password, then goes to the console. Wrong passwords are slowed down by the server.
import {at} from './api.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const button = document.getElementById('sign-in');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const password = form.password.value;
  if (!password) {
    showError('Enter the admin password.');
    return;
  }
  button.disabled = true;
  button.textContent = 'Signing in…';
  try {
    const response = await fetch(at('login'), {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({password}),
      credentials: 'same-origin',
    });
    if (response.ok) {
      window.location.assign(at(''));
      return;
    }
    const body = await response.json().catch(() => ({}));
    showError(body.error || 'Sign-in failed.');
    form.password.select();
  } catch (e) {
    showError('The mailer did not answer. Is it running?');
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
});

function showError(message) {
  error.textContent = message;
  error.hidden = false;
  form.password.setAttribute('aria-invalid', 'true');
}
