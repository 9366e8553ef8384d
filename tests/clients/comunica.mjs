// Comunica (@comunica/query-sparql) against a running `ffkg serve`, with the endpoint as a SPARQL
// source (`sparql@BASE/sparql` on Comunica's command line; `{ type: 'sparql', value }` here):
//
//     node tests/clients/comunica.mjs http://127.0.0.1:7878
//
// Runs the repository's queries/top-countries.rq, an ASK and a CONSTRUCT, and checks the values
// the embedded graph holds (Russia's 3,417 fighters heads the Soufan Group's 2017 table). Exits 0
// when every check holds, 1 with the reason when one does not, 2 on a usage error.
// tests/clients.rs runs it against a server it starts.

import { readFileSync } from 'node:fs';
import { QueryEngine } from '@comunica/query-sparql';

const base = (process.argv[2] || '').replace(/\/+$/, '');
if (!/^https?:\/\//.test(base)) {
  console.error('usage: node comunica.mjs BASE   (e.g. http://127.0.0.1:7878)');
  process.exit(2);
}
const endpoint = `${base}/sparql`;
const context = { sources: [{ type: 'sparql', value: endpoint }] };

const FF = 'https://w3id.org/ffkg/ontology#';
const RUS = 'https://w3id.org/ffkg/id/country/RUS';
const RUS_FIGURE = 'https://w3id.org/ffkg/id/figure/soufan-2017-rus-foreign-fighters';
const PREFIXES = `PREFIX ff: <${FF}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX country: <https://w3id.org/ffkg/id/country/>
PREFIX document: <https://w3id.org/ffkg/id/document/>
PREFIX measure: <https://w3id.org/ffkg/id/measure/>
`;
const TOP_COUNTRIES = readFileSync(new URL('../../queries/top-countries.rq', import.meta.url), 'utf8');
const TOP = [
  ['Russia', '3,417', '2016-03'],
  ['Saudi Arabia', '3,244', '2016-11'],
  ['Jordan', '~3,000', '2017-05'],
];

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function same(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

const engine = new QueryEngine();
const checks = [];

checks.push(['SELECT queries/top-countries.rq', async () => {
  const stream = await engine.queryBindings(TOP_COUNTRIES, context);
  const bindings = await stream.toArray();
  const rows = bindings.map((b) => ['country', 'fighters', 'asOf'].map((v) => b.get(v)?.value));
  same(rows.length, 15, 'rows');
  same(rows.slice(0, 3), TOP, 'the first rows');
  const russia = bindings[0].get('country');
  same([russia.termType, russia.language], ['Literal', 'en'], "Russia's label");
  same(bindings[0].get('asOf').datatype.value, 'http://www.w3.org/2001/XMLSchema#gYearMonth', 'asOf datatype');
}]);

checks.push(['ASK', async () => {
  same(await engine.queryBoolean(`${PREFIXES}ASK { country:RUS a ff:Country ; rdfs:label "Russia"@en }`, context), true, 'ASK Russia');
  same(await engine.queryBoolean(`${PREFIXES}ASK { country:RUS rdfs:label "France"@en }`, context), false, 'ASK France');
}]);

checks.push(['CONSTRUCT the Soufan 2017 table', async () => {
  const query = `${PREFIXES}CONSTRUCT { ?figure ff:about ?c ; ff:printedValue ?fighters ; ff:lowerBound ?lower }
WHERE {
  ?figure ff:inTable document:soufan-2017-table-foreign-fighters ;
          ff:measure measure:foreign-fighters ;
          ff:about ?c ;
          ff:printedValue ?fighters ;
          ff:lowerBound ?lower .
  ?c a ff:Country .
}`;
  const quads = await (await engine.queryQuads(query, context)).toArray();
  const figures = new Set(quads.filter((q) => q.predicate.value === `${FF}about`).map((q) => q.subject.value));
  same(figures.size, 46, 'figures in the table');
  const russia = quads.filter((q) => q.subject.value === RUS_FIGURE);
  const about = russia.find((q) => q.predicate.value === `${FF}about`);
  const printed = russia.find((q) => q.predicate.value === `${FF}printedValue`);
  const lower = russia.find((q) => q.predicate.value === `${FF}lowerBound`);
  check(about && printed && lower, `Russia's figure is incomplete: ${JSON.stringify(russia)}`);
  same(about.object.value, RUS, "Russia's figure is about");
  same(printed.object.value, '3,417', "Russia's printed value");
  same([lower.object.value, lower.object.datatype.value], ['3417', 'http://www.w3.org/2001/XMLSchema#integer'], "Russia's lower bound");
}]);

// Comunica must not hang on a server that misbehaves: give up after a minute.
const deadline = setTimeout(() => {
  console.error(`comunica: FAILED: no answer from ${endpoint} within 60 s`);
  process.exit(1);
}, 60_000);

let failed = 0;
for (const [name, run] of checks) {
  try {
    await run();
    console.log(`ok    ${name}`);
  } catch (error) {
    failed += 1;
    const reason = error instanceof CheckFailed ? error.message : (error && error.stack) || String(error);
    console.error(`FAIL  ${name}: ${reason}`);
  }
}
clearTimeout(deadline);
if (failed > 0) {
  console.error(`comunica: FAILED: ${failed} of ${checks.length} checks against ${endpoint}`);
  process.exit(1);
}
console.log(`comunica: all ${checks.length} checks passed against ${endpoint}`);
