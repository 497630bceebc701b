/*
 * dom.js - the page's small shared pieces: elements by id, the error
 * banner, the polite announcement for screen readers, buttons, and act(),
 * which runs what a user asked for and shows its error.
 */
import { ApiError } from './api.js';

export const $ = (id) => document.getElementById(id);

export function showError(err) {
	const code = err instanceof ApiError ? err.code : 'ERROR';
	$('error-text').textContent = (err.message || String(err)) +
	    ' (' + code + ')';
	$('error').hidden = false;
}

export function clearError() {
	$('error').hidden = true;
	$('error-text').textContent = '';
}

/* Polite announcement for screen readers. */
export function announce(text) {
	$('status').textContent = text;
}

/* A new button LABEL that calls ONCLICK; EXTRA: className, ariaLabel,
 * title. */
export function button(label, onClick, extra) {
	const b = document.createElement('button');
	b.type = 'button';
	b.textContent = label;
	if (extra && extra.className)
		b.className = extra.className;
	if (extra && extra.ariaLabel)
		b.setAttribute('aria-label', extra.ariaLabel);
	if (extra && extra.title)
		b.title = extra.title;
	b.addEventListener('click', onClick);
	return b;
}

/* Runs an action of the user: clears the old error, shows a new one. */
export function act(fn) {
	return async function (ev) {
		clearError();
		try {
			await fn(ev);
		} catch (err) {
			showError(err);
		}
	};
}
