#!/usr/bin/env node
// The plain summary line CI reads, from jest's JUnit reports in test-reports/ (relative to
// the current directory):
//   jest: <passed> passed, <failed> failed, <skipped> skipped
// Environment: TESTS_RC, the exit code of the test run (type-check, jest, eslint), and
// EXAMPLES_RC, the exit code of the examples' synthesis. Exits 1 when a test failed, the
// test run or the examples failed, or no test ran; 0 otherwise.
// Usage: TESTS_RC=<code> EXAMPLES_RC=<code> node scripts/junit-summary.js
'use strict';

const fs = require('fs');

const REPORTS = 'test-reports';

/** A count attribute of the `<testsuites>` element (of the whole file when there is none); 0 when absent. */
function countOf(xml, root, name) {
  const match = new RegExp(`${name}="(\\d+)"`).exec(root ? root[1] : xml);
  return Number((match || [0, 0])[1]);
}

let tests = 0;
let failures = 0;
let skipped = 0;
const reports = fs.existsSync(REPORTS) ? fs.readdirSync(REPORTS) : [];
for (const file of reports.filter(f => f.endsWith('.xml'))) {
  const xml = fs.readFileSync(`${REPORTS}/${file}`, 'utf8');
  const root = /<testsuites\b([^>]*)>/.exec(xml);
  tests += countOf(xml, root, 'tests');
  failures += countOf(xml, root, 'failures') + countOf(xml, root, 'errors');
  // jest-junit writes no skipped count on <testsuites>: add up the suites'.
  for (const m of xml.matchAll(/<testsuite\b[^>]*\bskipped="(\d+)"/g)) skipped += Number(m[1]);
}

const testsRc = Number(process.env.TESTS_RC);
const examplesRc = Number(process.env.EXAMPLES_RC);
// A failed type-check or lint run has no failing jest case: count it as one failure.
const extra = testsRc !== 0 && failures === 0 ? 1 : 0;
if (tests === 0 && testsRc === 0) {
  console.error('no test ran');
  process.exit(1);
}
console.log(`jest: ${tests - failures - skipped} passed, ${failures + extra} failed, ${skipped} skipped`);
process.exit(failures + extra > 0 || examplesRc !== 0 ? 1 : 0);
