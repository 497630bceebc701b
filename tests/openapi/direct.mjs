// direct.mjs - the answers to requests prism cannot carry, against
// doc/openapi.yaml.
//
//	node direct.mjs OPENAPI.yaml EXCHANGES.jsonl
//
// tests/e2e/run sends its API requests through prism (tests/openapi/
// lib.sh), but not the ones prism would change on the way (malformed
// JSON, odd encodings, no content type): those go straight to nginx and
// each is a line of EXCHANGES (validate.mjs's members, with "url" but
// no "path"). Each whose path is one of the document's (its template
// found here) must be an answer the document gives (oas.mjs's checks,
// as for validate.mjs); a path the document has not (a dot-dot, an
// encoded slash) is counted, and its answer must be 4xx (405 for a
// method a path has not). Prints one
// "not ok" line per failure and a count; exits 1 on any failure.
import { readFileSync } from 'node:fs';
import { checker, loadDoc } from './oas.mjs';

const [docPath, exPath] = process.argv.slice(2);
const doc = loadDoc(docPath);
const { check } = checker(doc);
// A parameter with a %-escape (an encoded slash or NUL) is not one of
// the document's: nginx decodes it before it chooses a location.
const templates = Object.keys(doc.paths).map((t) => [t,
    new RegExp('^' + t.replace(/\{[^}]+\}/g, '[^/%]+') + '$')]);

let fails = 0, checked = 0, outside = 0;
const lines = readFileSync(exPath, 'utf8').split('\n').filter((l) => l);
for (const line of lines) {
	const x = JSON.parse(line);
	const pathname = x.url.split('?')[0];
	const t = templates.find(([, re]) => re.test(pathname));
	let problems;
	if (t === undefined) {
		outside++;
		problems = x.status >= 400 && x.status < 500 ? [] :
		    [`no operation of the document, answered ${x.status}`];
	} else if (doc.paths[t[0]][x.method.toLowerCase()] === undefined) {
		outside++;
		problems = x.status === 405 ? [] :
		    [`no such method, answered ${x.status}, not 405`];
	} else {
		checked++;
		problems = check({ ...x, path: t[0] });
	}
	if (problems.length > 0) {
		fails++;
		console.log(`not ok - ${x.method} ${x.url} ${x.status}: ` +
		    `${problems.join('; ')} (body: ${x.body.slice(0, 300)})`);
	}
}
console.log(`${checked} answers checked, ${outside} to paths the ` +
    `document has not, ${fails} wrong`);
process.exit(fails === 0 ? 0 : 1);
