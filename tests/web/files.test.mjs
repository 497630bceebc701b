// files.test.mjs - the web client's modules as they ship: every import
// in app.js and js/ names a module that exists, with the path a browser
// resolves (./x.js, no bare names), and make installs and distributes
// every module of js/ (Makefile.am's dist_webjs_DATA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const top = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const web = join(top, 'contrib', 'web');
const modules = readdirSync(join(web, 'js')).filter((f) =>
    f.endsWith('.js')).map((f) => join('js', f));

/* The module paths FILE imports (static imports only). */
function importsOf(file) {
	const text = readFileSync(join(web, file), 'utf8');
	return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)';/gms)]
	    .map((m) => m[1]);
}

test('every import names a module that exists, relative to its file',
    () => {
	let n = 0;
	for (const file of ['app.js', ...modules]) {
		for (const spec of importsOf(file)) {
			assert.match(spec, /^\.\.?\/.*\.js$/, file + ': ' + spec);
			assert.ok(existsSync(join(web, dirname(file), spec)),
			    file + ' imports ' + spec + ', which is missing');
			n++;
		}
	}
	assert.ok(n > modules.length, 'imports found: ' + n);
});

test('make installs and distributes every module of js/', () => {
	const am = readFileSync(join(top, 'Makefile.am'), 'utf8');
	const m = /^dist_webjs_DATA = ((?:.*\\\n)*.*)$/m.exec(am);
	assert.ok(m, 'Makefile.am has dist_webjs_DATA');
	const listed = m[1].split(/[\s\\]+/).filter(Boolean);
	assert.deepEqual(listed.slice().sort(),
	    modules.map((f) => 'contrib/web/' + f).sort());
});
