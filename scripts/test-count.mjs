// Prints `Tests: N passed, N failed` (", N skipped" when any) from a JUnit report: CI's last line.
// A missing or unreadable report counts as a failure, so a run that tested nothing never reads as green.
import { readFileSync } from 'node:fs';

const [file = 'test-results/junit.xml', status = '0'] = process.argv.slice(2);
let xml = '';
try {
  xml = readFileSync(file, 'utf8');
} catch {
  process.stdout.write(`no test report at ${file}\nTests: 0 passed, 1 failed\n`);
  process.exit(0);
}
const root = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
const count = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root)?.[1] ?? 0);
const total = count('tests');
const failed = count('failures') + count('errors');
const skipped = count('skipped');
// vitest's root element has no `skipped`; count the skipped test cases instead.
const skippedCases = skipped || (xml.match(/<skipped\b/g) ?? []).length;
const passed = total - failed - skippedCases;
// A non-zero exit with no failed test (an unhandled error, a crashed worker) is still a failure.
const extra = failed === 0 && status !== '0' ? 1 : 0;
const tail = skippedCases ? `, ${skippedCases} skipped` : '';
process.stdout.write(`Tests: ${passed} passed, ${failed + extra} failed${tail}\n`);
