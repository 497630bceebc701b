// ops.test.mjs - the operations of doc/openapi.yaml are those of
// doc/api.md (its "### `METHOD /path`" headings) and those of
// termgate-fcgi's route table (the { "METHOD", "/path", ... } rows of
// src/fcgi/*.c), each a set of "METHOD /path": a difference either way
// fails and is named. Run by tests/openapi/run with node --test; the
// source tree is TG_SRCDIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';

const src = process.env.TG_SRCDIR;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options',
    'trace'];

function openapiOps() {
	const doc = yaml.load(readFileSync(join(src, 'doc/openapi.yaml'),
	    'utf8'));
	const ops = [];
	for (const [path, item] of Object.entries(doc.paths))
		for (const m of METHODS)
			if (item[m] !== undefined)
				ops.push(`${m.toUpperCase()} ${path}`);
	return ops;
}

// "### `GET /api/terminal/history/frequent?host_id=&limit=`" is
// "GET /api/terminal/history/frequent": the query is the parameters'.
export function apiMdOps(text) {
	const ops = [];
	for (const line of text.split('\n')) {
		const m = /^### `([A-Z]+) (\/[^`?\s]*)[^`]*`/.exec(line);
		if (m !== null)
			ops.push(`${m[1]} ${m[2]}`);
	}
	return ops;
}

function routeOps() {
	const dir = join(src, 'src/fcgi');
	const ops = [];
	for (const f of readdirSync(dir).filter((f) => f.endsWith('.c'))) {
		const text = readFileSync(join(dir, f), 'utf8');
		const re = /\{\s*"(GET|POST|PUT|DELETE|PATCH)",\s*"(\/[^"]*)"/g;
		for (const m of text.matchAll(re))
			ops.push(`${m[1]} ${m[2]}`);
	}
	return ops;
}

// Fails naming what only one side has, and any operation listed twice.
function same(what, a, aName, b, bName) {
	const dup = (l) => l.filter((x, i) => l.indexOf(x) !== i);
	assert.deepEqual(dup(a), [], `${aName} lists these twice`);
	assert.deepEqual(dup(b), [], `${bName} lists these twice`);
	const onlyA = a.filter((x) => !b.includes(x)).sort();
	const onlyB = b.filter((x) => !a.includes(x)).sort();
	assert.deepEqual({ [`only in ${aName}`]: onlyA,
	    [`only in ${bName}`]: onlyB },
	    { [`only in ${aName}`]: [], [`only in ${bName}`]: [] }, what);
}

test('the headings are read as operations', () => {
	assert.deepEqual(apiMdOps([
		'### `GET /api/terminal/history/export?format=csv|jsonl&...`',
		'### `DELETE /api/terminal/history?before=TIME`',
		'### `POST /api/terminal/sessions` - open',
		'## `GET /not/an/operation`',
		'```', '# HELP x', '```'].join('\n')),
	    ['GET /api/terminal/history/export',
	    'DELETE /api/terminal/history', 'POST /api/terminal/sessions']);
});

test('doc/openapi.yaml and doc/api.md have the same operations', () => {
	const md = apiMdOps(readFileSync(join(src, 'doc/api.md'), 'utf8'));
	assert.ok(md.length > 0, 'doc/api.md has no "### `METHOD /path`"');
	same('operations', openapiOps(), 'doc/openapi.yaml', md,
	    'doc/api.md');
});

test('doc/openapi.yaml has the operations of the route table', () => {
	const routes = routeOps();
	assert.ok(routes.length > 0, 'no { "METHOD", "/path" } route rows' +
	    ' found in src/fcgi/*.c: where did the route table go?');
	same('operations', openapiOps(), 'doc/openapi.yaml', routes,
	    'src/fcgi route table');
});
