/*
 * history.js - the command history panel (History, or Ctrl+R while no
 * terminal has the focus). It searches GET /api/terminal/history as the
 * user types, with filters (query.js), and pages by cursor as the list
 * scrolls; a row can be copied, typed into the open terminal of its host
 * (never with Enter), deleted, or played from its recording (player.js)
 * at the moment it started. Commands are data: they reach the page only
 * through textContent, control characters in caret notation (text.js).
 */
import { api, ApiError, exportUrl } from './api.js';
import { $, act, announce, button } from './dom.js';
import { rowTarget } from './nav.js';
import { openRecording } from './player.js';
import { filterCount, historyParams, newPaging, pageDone, pageQuery,
    pageStatus } from './query.js';
import { active, attached, frameOf, onSelect, selectTab,
    terminalOn } from './tabs.js';
import { focusTerminal, typeInto } from './terminal.js';
import { deceptive, exitBadge, matches, pieces, typeable, visible } from
    './text.js';
import { ago, commandRuntime } from './time.js';

const SEARCH_DELAY = 250;		/* ms of quiet before a search */
const PAGE = 50;			/* rows a request */
const CONFIRM_MS = 4000;		/* a delete awaits its second click */

const hist = {
	open: false,
	seq: 0,			/* the newest request; older answers drop */
	abort: null,
	paging: newPaging(),
	loading: false,
	timer: null,
	opener: null,
	hosts: [],
};

/* The search's parameters, from the form. */
function params() {
	const exit = document.querySelector('input[name=h-exit]:checked');
	return historyParams({ q: $('h-q').value, host: $('h-host').value,
	    source: $('h-source').value, exit: exit ? exit.value : '',
	    since: $('h-since').value, until: $('h-until').value,
	    sessionOnly: $('h-session').checked, session: active(),
	    all: $('h-all').checked });
}

function showFilterCount() {
	const n = filterCount(params());
	$('h-filter-count').textContent = n ? '(' + n + ' on)' : '';
	return n;
}

/* The hosts the user may open (sessions.js lists them), for the host
 * filter and the chips. */
export function setHosts(hosts) {
	const sel = $('h-host');
	const keep = sel.value;
	hist.hosts = hosts;
	while (sel.options.length > 1)
		sel.remove(1);
	for (const h of hosts) {
		const o = document.createElement('option');
		o.value = h.id;
		o.textContent = h.name;
		sel.append(o);
	}
	sel.value = keep;
}

function openHistory() {
	if (!hist.open) {
		hist.opener = document.activeElement;
		hist.open = true;
		$('history').hidden = false;
		document.body.classList.add('history-open');
		$('history-toggle').setAttribute('aria-expanded', 'true');
		search();
		frequent();
	}
	$('h-q').focus();
	$('h-q').select();
}

function closeHistory() {
	if (!hist.open)
		return;
	hist.open = false;
	$('history').hidden = true;
	document.body.classList.remove('history-open');
	$('history-toggle').setAttribute('aria-expanded', 'false');
	const back = hist.opener && document.contains(hist.opener) ?
	    hist.opener : $('history-toggle');
	back.focus();
}

/* The tab shown changed: "this session only" and the chips follow. */
function contextChanged() {
	$('h-session').disabled = active() === null;
	if (!hist.open)
		return;
	if ($('h-session').checked)
		search();
	frequent();
}

function scheduleSearch() {
	clearTimeout(hist.timer);
	hist.timer = setTimeout(search, SEARCH_DELAY);
}

function setStatus(text, busy) {
	$('h-status').textContent = text;
	$('h-list').setAttribute('aria-busy', String(!!busy));
}

/* A new search from the top: drops whatever was shown. */
function search() {
	clearTimeout(hist.timer);
	hist.paging = newPaging();
	$('h-list').replaceChildren();
	$('h-more').hidden = true;
	showFilterCount();
	return loadPage();
}

/* The next page of the search; an answer to an older request drops. */
async function loadPage() {
	const seq = ++hist.seq;
	if (hist.abort)
		hist.abort.abort();
	hist.abort = new AbortController();
	hist.loading = true;
	const p = params();
	setStatus(hist.paging.shown ? 'Loading more…' : 'Searching…', true);
	let data;
	try {
		data = await api('GET', '/history?' +
		    pageQuery(p, hist.paging, PAGE), undefined,
		    { signal: hist.abort.signal });
	} catch (err) {
		if (seq === hist.seq && err.name !== 'AbortError')
			historyFailed(err);
		return;
	} finally {
		if (seq === hist.seq)
			hist.loading = false;
	}
	if (seq !== hist.seq)
		return;
	const q = p.get('q') || '';
	for (const item of data.items)
		$('h-list').append(historyRow(item, q));
	hist.paging = pageDone(hist.paging, data);
	$('h-more').hidden = !hist.paging.cursor;
	if (hist.paging.shown === 0)
		historyEmpty(q !== '' || showFilterCount() > 0);
	else
		setStatus(pageStatus(hist.paging));
	/* Still room on screen: fill it. */
	if (hist.paging.cursor && moreVisible())
		loadPage();
}

function moreVisible() {
	const r = $('h-more').getBoundingClientRect();
	const box = $('history').getBoundingClientRect();
	return r.top < box.bottom + 200;
}

/* An empty list says why and what to do. */
function historyEmpty(filtered) {
	const li = document.createElement('li');
	li.className = 'h-empty';
	if (filtered) {
		li.textContent = 'No command matches. Search for less, ' +
		    'or widen the filters. ';
		li.append(button('Clear search and filters', () => {
			$('h-q').value = '';
			clearFilters();
		}, { className: 'small' }));
	} else {
		li.textContent = 'No commands yet. Commands you run in a ' +
		    'terminal show up here once its shell reports them.';
	}
	$('h-list').append(li);
	setStatus(filtered ? 'No match' : 'No commands yet');
}

function historyFailed(err) {
	const li = document.createElement('li');
	li.className = 'h-empty h-failed';
	li.textContent = (err.message || String(err)) + ' (' +
	    (err.code || 'ERROR') + ') ';
	li.append(button('Try again', () => {
		li.remove();
		loadPage();
	}, { className: 'small' }));
	$('h-list').append(li);
	setStatus('The search failed: ' + err.message);
}

function clearFilters() {
	$('h-host').value = '';
	$('h-source').value = '';
	$('h-since').value = '';
	$('h-until').value = '';
	$('h-session').checked = false;
	$('h-all').checked = false;
	document.querySelector('input[name=h-exit][value=""]').checked = true;
	search();
	frequent();
}

/* Appends TEXT to EL, shown in caret notation, with the matches of Q
 * in <mark>: elements and text nodes, never markup. */
function highlight(el, text, q) {
	const shown = visible(text);
	for (const [piece, hit] of pieces(shown, matches(shown, q))) {
		if (!hit) {
			el.append(piece);
			continue;
		}
		const m = document.createElement('mark');
		m.textContent = piece;
		el.append(m);
	}
}

/* Row LI's buttons, for ITEM; LABEL names it for screen readers. */
function rowActions(li, item, label) {
	const copy = li.querySelector('.h-copy');
	copy.setAttribute('aria-label', 'Copy' + label);
	copy.addEventListener('click', act(() => copyCommand(item)));
	const run = li.querySelector('.h-run');
	run.setAttribute('aria-label', 'Type' + label +
	    ' into its terminal, without Enter');
	if (deceptive(item.command)) {
		/* What would run is not what the row reads (text.js). */
		run.disabled = true;
		run.title = 'Not typed: the command holds invisible or ' +
		    'reordering characters, shown as \\u{...}';
	}
	run.addEventListener('click', act(() => runAgain(item)));
	const play = li.querySelector('.h-play');
	play.setAttribute('aria-label', 'Play the recording of' + label);
	play.disabled = !item.session_id;
	play.addEventListener('click', act(() => openRecording(item)));
	const del = li.querySelector('.h-del');
	del.setAttribute('aria-label', 'Delete' + label);
	del.addEventListener('click', act(() => deleteRow(item, li, del)));
	const fold = li.querySelector('.h-fold');
	fold.addEventListener('click', () => {
		const open = li.classList.toggle('unfolded');
		fold.textContent = open ? 'Show less' : 'Show all';
		fold.setAttribute('aria-expanded', String(open));
	});
	requestAnimationFrame(() => {
		const code = li.querySelector('.h-cmd');
		fold.hidden = code.scrollHeight <= code.clientHeight + 2;
	});
}

/* One result row: the command, where and when, and what to do. */
function historyRow(item, q) {
	const li = $('h-row-tpl').content.cloneNode(true)
	    .querySelector('.h-row');
	const host = item.host_name || item.host_id;
	li.dataset.id = item.id;
	highlight(li.querySelector('.h-text'), item.command, q);
	const badge = exitBadge(item.exit_status, item.source);
	const b = li.querySelector('.h-badge');
	b.textContent = badge.text;
	b.className = 'h-badge ' + badge.cls;
	b.title = badge.title;
	li.querySelector('.h-host').textContent = host;
	/* Who ran it when it is not the owner's line: a join, a share. */
	const who = $('h-all').checked ? item.username : '';
	li.querySelector('.h-user').textContent = !item.typed_by ? who :
	    (who ? who + ', ' : '') + 'typed by ' + item.typed_by;
	/* Only its owner may delete a row (an admin sees everyone's). */
	li.querySelector('.h-del').hidden = $('h-all').checked;
	li.querySelector('.h-cwd').textContent = item.cwd ?
	    visible(item.cwd) : '';
	const when = li.querySelector('.h-when');
	when.dateTime = item.started_at;
	when.textContent = ago(item.started_at);
	when.title = new Date(item.started_at).toLocaleString() + ' (' +
	    item.started_at + ')';
	li.querySelector('.h-dur').textContent = commandRuntime(item);
	rowActions(li, item, ' "' + item.command.slice(0, 60) + '" on ' +
	    host);
	return li;
}

async function copyCommand(item) {
	const text = typeable(item.command);
	try {
		await navigator.clipboard.writeText(text);
	} catch (e) {
		const ta = document.createElement('textarea');
		ta.value = text;
		document.body.append(ta);
		ta.select();
		const ok = document.execCommand('copy');
		ta.remove();
		if (!ok)
			throw new ApiError(0, { error: 'CLIPBOARD',
			    message: 'The browser refused the clipboard' });
	}
	setStatus('Copied.');
	announce('Copied the command.');
}

/* Types ITEM's command into the open terminal of its host. */
async function runAgain(item) {
	if (deceptive(item.command))
		throw new ApiError(0, { error: 'NOT_TYPED',
		    message: 'The command holds invisible or reordering ' +
		    'characters (shown as \\u{...}): copy it and check it' });
	const a = terminalOn(item.host_id);
	const host = item.host_name || item.host_id;
	if (!a)
		throw new ApiError(0, { error: 'NO_TERMINAL',
		    message: 'No open terminal on ' + host + ': open one ' +
		    'there first (Hosts), then run it again' });
	selectTab(a.id);
	const why = typeInto(frameOf(a), typeable(item.command));
	if (why)
		throw new ApiError(0, { error: 'NOT_TYPED',
		    message: 'The command was not typed: ' + why });
	focusTerminal(frameOf(a));
	announce('Typed into the terminal on ' + host +
	    '; press Enter there to run it.');
}

/* Two clicks: the first asks, the second deletes. */
async function deleteRow(item, li, btn) {
	if (!btn.classList.contains('confirm')) {
		btn.classList.add('confirm');
		btn.textContent = 'Really delete?';
		setTimeout(() => {
			btn.classList.remove('confirm');
			btn.textContent = 'Delete';
		}, CONFIRM_MS);
		return;
	}
	await api('DELETE', '/history/' + encodeURIComponent(item.id));
	const next = li.nextElementSibling || li.previousElementSibling;
	li.remove();
	hist.paging.shown--;
	setStatus('Deleted. An administrator can see that a command ' +
	    'was deleted, not which.');
	if (next && next.classList.contains('h-row'))
		next.focus();
	else
		$('h-q').focus();
	frequent();
}

/* A chip: frequent command F ({command, count, last_used}) on HOST
 * (its id, H its entry or undefined). */
function chip(f, host, h) {
	const name = h ? h.name : host;
	const b = button('', act(() => runAgain({ command: f.command,
	    host_id: host, host_name: name })),
	    { className: 'chip', title: 'Used ' + f.count + ' times, last ' +
	    new Date(f.last_used).toLocaleString() +
	    '. Types it into the terminal on ' + name + ', without Enter.' });
	const code = document.createElement('code');
	code.textContent = visible(f.command);
	const n = document.createElement('span');
	n.className = 'chip-count';
	n.textContent = String(f.count);
	b.append(code, n);
	const li = document.createElement('li');
	li.append(b);
	return li;
}

/* The chips: the most used commands on the host in view. */
async function frequent() {
	const id = active();
	const host = $('h-host').value || (id && attached.get(id) ?
	    attached.get(id).host_id : '');
	const box = $('h-frequent-box');
	if (!hist.open || !host) {
		box.hidden = true;
		return;
	}
	let data;
	try {
		data = await api('GET', '/history/frequent?limit=8&host_id=' +
		    encodeURIComponent(host));
	} catch (err) {
		box.hidden = true;
		return;
	}
	const h = hist.hosts.find((x) => x.id === host);
	$('h-frequent-host').textContent = h ? h.name : host;
	$('h-frequent').replaceChildren(...data.items.map((f) =>
	    chip(f, host, h)));
	box.hidden = data.items.length === 0;
}

/* Up and Down move between rows; from the search box into them. */
function historyKeys(ev) {
	const rows = [...$('h-list').querySelectorAll('.h-row')];
	const row = ev.target.closest && ev.target.closest('.h-row');
	let i;
	if (ev.target === $('h-q'))
		i = -1;
	else if (row)
		i = rows.indexOf(row);
	else
		return;
	const to = rowTarget(ev.key, i, rows.length);
	if (to === null)
		return;
	ev.preventDefault();
	(to === -1 ? $('h-q') : rows[to]).focus();
}

/* Downloads what the search shows, as CSV. */
function exportHistory() {
	const a = document.createElement('a');
	a.href = exportUrl(params());
	a.download = 'termgate-history.csv';
	document.body.append(a);
	a.click();
	a.remove();
}

/* Loads the next page when the end of the list comes into view. */
function watchEnd() {
	const observer = new IntersectionObserver((entries) => {
		if (entries.some((e) => e.isIntersecting) &&
		    hist.paging.cursor && !hist.loading)
			loadPage();
	}, { root: $('history'), rootMargin: '0px 0px 200px 0px' });
	observer.observe($('h-more'));
}

/*
 * Ctrl+R: keys typed in a terminal go to its frame's document, so a
 * Ctrl+R that reaches this one was not meant for a shell's reverse
 * search. Escape closes the panel from inside it.
 */
function pageKeys(ev) {
	if (ev.ctrlKey && !ev.altKey && !ev.metaKey &&
	    (ev.key === 'r' || ev.key === 'R')) {
		ev.preventDefault();
		openHistory();
	} else if (ev.key === 'Escape' && hist.open &&
	    !document.querySelector('dialog[open]') &&
	    $('history').contains(document.activeElement)) {
		closeHistory();
	}
}

/* An admin's search over every user's history (the console's), in
 * the panel. */
export function showAllHistory() {
	$('h-all').checked = true;
	if (hist.open)
		search();
	openHistory();
}

export function wireHistory() {
	$('history-toggle').addEventListener('click', () =>
	    hist.open ? closeHistory() : openHistory());
	$('history-close').addEventListener('click', closeHistory);
	$('h-export').addEventListener('click', exportHistory);
	$('h-form').addEventListener('submit', (ev) => {
		ev.preventDefault();
		search();
	});
	$('h-q').addEventListener('input', scheduleSearch);
	for (const id of ['h-host', 'h-source', 'h-since', 'h-until',
	    'h-session', 'h-all'])
		$(id).addEventListener('change', () => {
			search();
			if (id === 'h-host')
				frequent();
		});
	for (const r of document.querySelectorAll('input[name=h-exit]'))
		r.addEventListener('change', search);
	$('h-clear').addEventListener('click', clearFilters);
	$('h-more').addEventListener('click', () => {
		if (!hist.loading)
			loadPage();
	});
	$('history').addEventListener('keydown', historyKeys);
	watchEnd();
	$('h-session').disabled = true;
	onSelect(contextChanged);
	document.addEventListener('keydown', pageKeys);
}
