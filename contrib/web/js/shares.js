/*
 * shares.js - sharing a terminal, and who shares it. On each of the
 * owner's terminal tabs: who else is attached now ("watched by bob",
 * "joined by ann"), from the sessions list's viewers, asked every
 * VIEWERS_MS while the page is visible and a tab of the user's own is
 * open; and the share panel: make a link (read-only or interactive, its
 * expiry, the users it is for), copy it, see who used it, revoke it. A
 * link opened here (#share=TOKEN) is redeemed, and its terminal shown in
 * a tab of its own, read-only or not as the server says: the holder
 * enforces it, the page only tells.
 */
import { api, sessionPath } from './api.js';
import { act, announce, button } from './dom.js';
import { attached, embedded } from './tabs.js';
import { viewerText } from './text.js';

const VIEWERS_MS = 1000;
let viewersTimer = null;

/* Puts each of SESSIONS' viewers on its tab's panel. */
export function showViewers(sessions) {
	for (const s of sessions) {
		const a = attached.get(s.session_id);
		if (!a || !a.panel || a.shared)
			continue;
		const el = a.panel.querySelector('.t-viewers');
		const text = viewerText(s.viewers || []);
		if (el.textContent !== text) {
			el.textContent = text;
			el.hidden = text === '';
			if (text)
				announce('The terminal on ' + a.host_name +
				    ' is ' + text + '.');
		}
	}
}

/* Asks who is attached every VIEWERS_MS while a tab of the user's is
 * open and the page visible. */
export function pollViewers() {
	clearInterval(viewersTimer);
	viewersTimer = setInterval(async () => {
		if (document.visibilityState !== 'visible' ||
		    !embedded().some((a) => !a.shared && !a.ended))
			return;
		try {
			showViewers((await api('GET', '/sessions')).sessions);
		} catch (e) {
			/* the next turn asks again */
		}
	}, VIEWERS_MS);
}

/* One row of A's share list, for share SH. */
function shareRow(a, sh) {
	const li = document.createElement('li');
	li.className = 'share';
	const what = document.createElement('span');
	what.textContent = (sh.mode === 'view' ? 'read-only' : 'interactive') +
	    (sh.users ? ', for ' + sh.users.join(', ') : ', for anyone') +
	    (sh.active ? ', until ' + sh.expires_at :
	    sh.revoked_at ? ', revoked' : ', expired');
	const used = document.createElement('span');
	used.className = 'muted';
	used.textContent = sh.used_by.length ? 'used by ' +
	    sh.used_by.map((u) => u.user).join(', ') : 'not used yet';
	li.append(what, ' ', used);
	if (sh.active)
		li.append(' ', button('Revoke', act(async () => {
			await api('DELETE', sessionPath(a.id) + '/shares/' +
			    sh.share_id);
			announce('Share link revoked.');
			await listShares(a);
		}), { className: 'small danger',
		    ariaLabel: 'Revoke the share link' }));
	return li;
}

/* Lists session A's links in its panel. */
export async function listShares(a) {
	const data = await api('GET', sessionPath(a.id) + '/shares');
	a.panel.querySelector('.s-list').replaceChildren(
	    ...data.shares.map((sh) => shareRow(a, sh)));
}

/* The link of a new share, shown for copying. */
function showLink(a, link) {
	const url = new URL(link, location.href).href;
	const out = a.panel.querySelector('.s-link');
	out.value = url;
	out.hidden = false;
	a.panel.querySelector('.s-copy').hidden = false;
}

/* Makes a share of A from its panel's form. */
async function createShare(a) {
	const p = a.panel;
	const body = { mode: p.querySelector('.s-mode').value };
	const ttl = Number(p.querySelector('.s-ttl').value);
	if (ttl > 0)
		body.ttl_seconds = Math.round(ttl * 60);
	const users = p.querySelector('.s-users').value.split(/[\s,]+/)
	    .filter((u) => u !== '');
	if (users.length)
		body.users = users;
	const sh = await api('POST', sessionPath(a.id) + '/shares', body);
	showLink(a, sh.link);
	announce('Share link made; copy it for the other user.');
	await listShares(a);
}

/* The share panel of owner's tab A. */
export function wireShares(a) {
	const p = a.panel;
	const box = p.querySelector('.t-shares');
	const toggle = p.querySelector('.t-share');
	toggle.hidden = false;
	toggle.addEventListener('click', act(async () => {
		box.hidden = !box.hidden;
		toggle.setAttribute('aria-expanded', String(!box.hidden));
		if (!box.hidden)
			await listShares(a);
	}));
	p.querySelector('.s-create').addEventListener('click',
	    act(() => createShare(a)));
	p.querySelector('.s-copy').addEventListener('click', act(async () => {
		const out = p.querySelector('.s-link');
		out.select();
		await navigator.clipboard.writeText(out.value).catch(() => {});
		announce('Link copied.');
	}));
}

/* The token of a share link this page was opened with (#share=TOKEN),
 * or null. */
export function shareToken() {
	const m = /^#share=([0-9a-f]{64}\.[A-Za-z0-9_-]{43})$/.exec(
	    location.hash);
	return m ? m[1] : null;
}

/* Redeems TOKEN (the page's link) and resolves to the shared session,
 * as the tabs keep it; the link leaves the address bar. */
export async function redeem(token) {
	history.replaceState(null, '', location.pathname + location.search);
	const sh = await api('POST', '/shares/redeem', { token: token });
	announce('Opened ' + sh.owner + '\'s terminal on ' + sh.host_name +
	    (sh.mode === 'view' ? ', read-only.' : '.'));
	return { session_id: sh.session_id, url: sh.url,
	    host_id: sh.host_id, mode: 'embedded',
	    host_name: sh.host_name + ' (' + sh.owner + ', ' +
	    (sh.mode === 'view' ? 'read-only' : 'shared') + ')',
	    shared: sh.mode };
}
