/**
 * `cdk-access-patterns keys` over credential reports written from the documented format
 * ("Getting credential reports for your AWS account", IAM User Guide): the root user's row
 * with `not_supported`, both key slots, `N/A` for keys never used and for the region of a
 * global service (s3), `no_information` for a password never used.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { keysCommand } from '../../src/access-keys/keys-command';
import { main } from '../../src/access-map/cli';
import { runCli } from '../support/compiled';

const FIXTURES = join(__dirname, 'fixtures');
const REPORT = join(FIXTURES, 'credential-report.csv');
const COMPLIANT = join(FIXTURES, 'compliant-report.csv');
const AS_OF = ['--as-of', '2025-06-30'];

function run(args: string[]): { code: number; output: string; errors: string } {
  let output = '';
  let errors = '';
  const code = keysCommand(args, t => { output += t; }, t => { errors += t; });
  return { code, output, errors };
}

function json(args: string[]): any {
  return JSON.parse(run([...args, '--format', 'json', ...AS_OF]).output);
}

describe('each active key: user, slot, age, last use, verdict, replacement', () => {
  const report = () => json([REPORT]);

  test('only active keys are listed: inactive keys and users without keys are not', () => {
    expect(report().keys.map((k: any) => `${k.user}#${k.key}`)).toEqual([
      '<root_account>#1', 'alice#1', 'github-deployer#1', 'reporting-app#1', 'reporting-app#2', 'old-batch#1',
    ]);
  });

  test('the root user\'s key always breaks the policy, and is to be deleted', () => {
    const [root] = report().keys;
    expect(root).toMatchObject({
      root: true,
      ageDays: 537,
      breaksPolicy: true,
      lastUsed: { date: '2025-06-20', region: 'us-east-1', service: 'ec2', days: 10 },
      verdict: 'root key; older than the max age (537 > 90 days)',
      replaceWith: expect.stringMatching(/^delete it: no task needs a root access key/),
    });
  });

  test('a key older than the max age breaks the policy even in daily use', () => {
    const key = report().keys.find((k: any) => k.user === 'reporting-app' && k.key === 1);
    expect(key).toMatchObject({ verdict: 'older than the max age (606 > 90 days)', breaksPolicy: true });
    // s3 is not regional: the report says N/A, shown as no region.
    expect(key.lastUsed).toEqual({ date: '2025-06-28', days: 2, service: 's3' });
    expect(key.replaceWith).toMatch(/workload role .*`TrustAnchor` \+ `RolesAnywhereRole`.*`LegacyAccessKey`/);
  });

  test('a key never used (N/A) is judged by its age: a new one is fine, an old one is unused', () => {
    const fresh = report().keys.find((k: any) => k.user === 'reporting-app' && k.key === 2);
    expect(fresh).toMatchObject({ ageDays: 29, lastUsed: null, verdict: 'in use', breaksPolicy: false });
    const stale = json([REPORT, '--max-unused', '20d']).keys.find((k: any) => k.user === 'reporting-app' && k.key === 2);
    expect(stale).toMatchObject({ verdict: 'unused for 29 days (never used)', breaksPolicy: true });
  });

  test('a key unused for longer than allowed is to be deleted', () => {
    const key = report().keys.find((k: any) => k.user === 'old-batch');
    expect(key).toMatchObject({
      verdict: 'unused for 211 days; older than the max age (302 > 90 days)',
      replaceWith: 'delete it (then the user, if nothing else uses it)',
    });
  });

  test('the replacement follows what the report shows: a console password is a person, a CI name is CI', () => {
    const keys = report().keys;
    expect(keys.find((k: any) => k.user === 'alice')).toMatchObject({
      verdict: 'in use',
      breaksPolicy: false,
      replaceWith: expect.stringMatching(/^IAM Identity Center: `PermissionSet` \+ `AccountAssignments`/),
      because: 'the user also has a console password: a person',
    });
    expect(keys.find((k: any) => k.user === 'github-deployer')).toMatchObject({
      verdict: 'in use', replaceWith: '`GitHubOidcProvider` + `GitHubActionsRole`', because: 'the user name names GitHub',
    });
  });

  test('--max-age changes the verdicts', () => {
    const keys = json([REPORT, '--max-age', '30d']).keys;
    expect(keys.find((k: any) => k.user === 'alice').verdict).toBe('older than the max age (60 > 30 days)');
  });

  test('Markdown: one row per key, the breaking ones marked', () => {
    const { output } = run([REPORT, ...AS_OF]);
    expect(output).toContain('As of 2025-06-30; max age 90 days, max unused 90 days. 6 active key(s), 3 break(s) the policy.');
    expect(output).toContain('| <root_account> | 1 | 537 days | 2025-06-20 us-east-1 ec2 | **breaks policy**: root key; older than the max age (537 > 90 days) |');
    expect(output).toContain('| reporting-app | 2 | 29 days | never | in use |');
    expect(output.split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| user'))).toHaveLength(6);
  });
});

describe('exit codes', () => {
  test('1 when an active key breaks the policy, 0 when none does', () => {
    expect(run([REPORT, ...AS_OF]).code).toBe(1);
    expect(run([COMPLIANT, ...AS_OF])).toMatchObject({ code: 0, errors: '' });
  });

  test('2 on unreadable input, with the reason', () => {
    const reason = (file: string) => { const r = run([join(FIXTURES, file), ...AS_OF]); return [r.code, r.output, r.errors]; };
    expect(reason('empty.csv')).toEqual([2, '', expect.stringContaining('empty.csv: the file is empty')]);
    expect(reason('not-a-report.txt')).toEqual([2, '', expect.stringContaining('this is not an IAM credential report')]);
    expect(reason('missing-columns.csv')).toEqual([2, '', expect.stringContaining('lacks the column(s) access_key_2_last_used_region, access_key_2_last_used_service')]);
    expect(reason('bad-date.csv')).toEqual([2, '', expect.stringContaining("line 3, column access_key_1_last_rotated: 'last tuesday' is not an ISO 8601 date")]);
    expect(reason('nothing-here.csv')).toEqual([2, '', expect.stringContaining('cannot read')]);
  });

  test('2 on a usage mistake, with the usage', () => {
    expect(run([])).toMatchObject({ code: 2, errors: expect.stringContaining('give one credential report (CSV)') });
    expect(run([REPORT, '--format', 'xml'])).toMatchObject({ code: 2, errors: expect.stringContaining("--format must be markdown or json, not 'xml'") });
    expect(run([REPORT, '--max-age', 'forever'])).toMatchObject({ code: 2, errors: expect.stringContaining("--max-age must be a number of days such as 90d, not 'forever'") });
    expect(run([REPORT, '--as-of', 'yesterday'])).toMatchObject({ code: 2, errors: expect.stringContaining('--as-of must be a date') });
    expect(run([REPORT, '--bogus']).errors).toMatch(/Usage:\n {2}cdk-access-patterns keys REPORT.csv/);
  });
});

describe('input forms', () => {
  let work: string;
  beforeAll(() => { work = mkdtempSync(join(tmpdir(), 'access-keys-cli-')); });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test('the JSON and the base64 content of `aws iam get-credential-report` read as the CSV does', () => {
    const csv = readFileSync(REPORT, 'utf8');
    const content = Buffer.from(csv).toString('base64');
    writeFileSync(join(work, 'report.json'), JSON.stringify({ Content: content, ReportFormat: 'text/csv', GeneratedTime: '2025-06-30T00:00:00Z' }));
    writeFileSync(join(work, 'report.b64'), content);
    const expected = run([REPORT, ...AS_OF]).output;
    expect(run([join(work, 'report.json'), ...AS_OF]).output).toBe(expected);
    expect(run([join(work, 'report.b64'), ...AS_OF]).output).toBe(expected);
  });

  test('CRLF line ends, quoted fields and a byte order mark are read', () => {
    const csv = readFileSync(COMPLIANT, 'utf8').replace('github-deployer,', '"github-deployer",').replace(/\n/g, '\r\n');
    writeFileSync(join(work, 'crlf.csv'), `\uFEFF${csv}`);
    expect(json([join(work, 'crlf.csv')]).keys.map((k: any) => k.user)).toEqual(['github-deployer']);
  });

  test('a report without active keys passes, and says so', () => {
    const header = readFileSync(COMPLIANT, 'utf8').split('\n')[0];
    writeFileSync(join(work, 'header-only.csv'), `${header}\n`);
    const { code, output } = run([join(work, 'header-only.csv'), ...AS_OF]);
    expect(code).toBe(0);
    expect(output).toMatch(/0 active key\(s\), 0 break\(s\) the policy\.\n\nNo active access key\.\n$/);
  });

  test('--out writes the report to a file', () => {
    const out = join(work, 'keys.md');
    expect(run([REPORT, ...AS_OF, '--out', out])).toMatchObject({ code: 1, output: '' });
    expect(readFileSync(out, 'utf8')).toBe(run([REPORT, ...AS_OF]).output);
  });
});

describe('as the package command', () => {
  test('main dispatches `keys`, and the usage lists it', () => {
    let output = '';
    expect(main(['keys', COMPLIANT, ...AS_OF], t => { output += t; })).toBe(0);
    expect(output).toContain('| github-deployer | 1 |');
    let help = '';
    main(['--help'], t => { help += t; });
    expect(help).toContain('cdk-access-patterns keys REPORT.csv');
  });

  test('as a process: exit code 1 with the table, 0 when compliant, 2 with the reason on bad input', async () => {
    const command = (args: string[]) => runCli(['keys', ...args, ...AS_OF]);
    const [breaking, compliant, empty] = await Promise.all([command([REPORT]), command([COMPLIANT]), command([join(FIXTURES, 'empty.csv')])]);
    expect(breaking).toMatchObject({ code: 1, stderr: '', stdout: expect.stringContaining('**breaks policy**: root key') });
    expect(compliant).toMatchObject({ code: 0, stderr: '', stdout: expect.stringContaining('1 active key(s), 0 break(s) the policy.') });
    expect(empty).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^cdk-access-patterns keys: .*empty\.csv: the file is empty/) });
  });
});
