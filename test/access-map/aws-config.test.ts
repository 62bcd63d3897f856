import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iniFormat from 'ini';
import {
  AccountAssignments, AssignmentTarget, CrossAccountRole, IdentityCenterInstance, IdentityCenterPrincipal, PermissionSet,
  RolesAnywhereProfile, RolesAnywhereRole, TrustAnchor, TrustAnchorSource, CertificateCondition,
} from '../../src';
import { awsConfigCommand, awsConfigOf, mergeIni, renderIni } from '../../src/access-map/aws-config';
import { main } from '../../src/access-map/cli';
import { templatesOfAssembly } from '../../src/access-map/templates';
import { CliRun, runCli } from '../support/compiled';

const MANAGEMENT = '111111111111';
const PROD = '222222222222';
const DEV = '333333333333';
const START_URL = 'https://acme.awsapps.com/start';
let work: string;
let assembly: string;

/**
 * The config text read back with the `ini` package (the parser the AWS CLI format is
 * usually read with), after checking what `ini` lets through silently: every line is a
 * `[section]` header, a `key = value` setting, a comment or blank, and no section or key
 * is repeated.
 */
function parseIni(text: string): Record<string, Record<string, string>> {
  const sections = new Set<string>();
  let keys = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (/^\s*([#;].*)?$/.test(line)) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      if (sections.has(header[1])) throw new Error(`line ${i + 1}: section [${header[1]}] is repeated`);
      sections.add(header[1]);
      keys = new Set();
      return;
    }
    const setting = /^([a-z_]+) = \S/.exec(line);
    if (!setting || sections.size === 0) throw new Error(`line ${i + 1}: not a setting of a section: ${JSON.stringify(line)}`);
    if (keys.has(setting[1])) throw new Error(`line ${i + 1}: ${setting[1]} is repeated`);
    keys.add(setting[1]);
  });
  return JSON.parse(JSON.stringify(iniFormat.parse(text)));
}

/** Runs the command as a process, as users do. */
function command(args: string[]): Promise<CliRun> {
  return runCli(args);
}

/**
 * The platform: permission sets assigned in two accounts, a production deploy role that the
 * Administrator permission set's role assumes, a break-glass role chained behind it, a
 * vendor role (another account's root, no profile), and a Roles Anywhere backup server.
 */
function synthesize(outdir: string): void {
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
  const sso = new Stack(app, 'WorkforceAccess', { env: { account: MANAGEMENT, region: 'eu-west-1' } });
  const instance = IdentityCenterInstance.fromInstanceArn(sso, 'Instance', 'arn:aws:sso:::instance/ssoins-1234567890abcdef');
  const admin = new PermissionSet(sso, 'Administrator', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')] });
  const readOnly = new PermissionSet(sso, 'ReadOnly', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
  new AccountAssignments(sso, 'Access', {
    instance,
    assignments: [
      { principal: IdentityCenterPrincipal.group('11111111-2222-3333-4444-000000000001'), permissionSets: [admin, readOnly], targets: [AssignmentTarget.accounts([PROD])] },
      { principal: IdentityCenterPrincipal.group('11111111-2222-3333-4444-000000000002'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts([PROD, DEV])] },
    ],
  });

  const prod = new Stack(app, 'Production', { env: { account: PROD, region: 'eu-central-1' } });
  new CrossAccountRole(prod, 'Deploy', {
    roleName: 'deploy',
    trustedAccounts: [PROD],
    trustedPrincipalArnPatterns: [`arn:aws:iam::${PROD}:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_Administrator_*`],
  });
  new CrossAccountRole(prod, 'BreakGlass', { roleName: 'break-glass', trustedRoleArns: [`arn:aws:iam::${PROD}:role/deploy`], requireMfa: true });
  new CrossAccountRole(prod, 'Vendor', { roleName: 'vendor-audit', trustedRoleArns: ['arn:aws:iam::444444444444:role/auditor'], externalIds: ['acme-7c1f'] });
  new CrossAccountRole(prod, 'Generated', { trustedRoleArns: [`arn:aws:iam::${PROD}:role/deploy`] });

  const onPrem = new Stack(app, 'OnPrem', { env: { account: PROD, region: 'eu-west-1' } });
  const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(onPrem, 'Ca', `arn:aws:acm-pca:eu-west-1:${PROD}:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`);
  const anchor = new TrustAnchor(onPrem, 'Anchor', { source: TrustAnchorSource.fromAcmPca(ca) });
  const backup = new RolesAnywhereRole(onPrem, 'Backup', {
    roleName: 'backup01',
    trustAnchors: [anchor],
    certificateConditions: [CertificateCondition.subjectCommonName('backup01.dc1.acme.internal')],
  });
  new RolesAnywhereProfile(onPrem, 'Profile', { roles: [backup] });
  app.synth();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'aws-config-'));
  assembly = join(work, 'cdk.out');
  synthesize(assembly);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function config(extra: Record<string, unknown> = {}) {
  return awsConfigOf(templatesOfAssembly(assembly), { ssoStartUrl: START_URL, ssoRegion: 'eu-west-1', ...extra });
}

describe('aws-config', () => {
  test('an sso-session and one profile per assigned (permission set, account), parsed back with an INI parser', () => {
    const ini = parseIni(renderIni(config().sections));
    expect(ini['sso-session acme']).toEqual({ sso_start_url: START_URL, sso_region: 'eu-west-1', sso_registration_scopes: 'sso:account:access' });
    expect(ini[`profile Administrator-${PROD}`]).toEqual({ sso_session: 'acme', sso_account_id: PROD, sso_role_name: 'Administrator', region: 'eu-west-1' });
    expect(ini[`profile ReadOnly-${PROD}`]).toMatchObject({ sso_account_id: PROD, sso_role_name: 'ReadOnly' });
    expect(ini[`profile ReadOnly-${DEV}`]).toMatchObject({ sso_account_id: DEV, sso_role_name: 'ReadOnly' });
    // Administrator is not assigned in the development account.
    expect(ini[`profile Administrator-${DEV}`]).toBeUndefined();
  });

  test('role_arn + source_profile for roles whose trust names their caller, chains included', () => {
    const { sections, notes } = config();
    const ini = parseIni(renderIni(sections));
    // The deploy role trusts the Administrator permission set's role: its source is that SSO profile.
    expect(ini[`profile role-deploy-${PROD}`]).toEqual({ role_arn: `arn:aws:iam::${PROD}:role/deploy`, source_profile: `Administrator-${PROD}`, region: 'eu-central-1' });
    // The break-glass role trusts the deploy role: a chain of two profiles; its MFA condition is said.
    expect(ini[`profile role-break-glass-${PROD}`]).toMatchObject({ role_arn: `arn:aws:iam::${PROD}:role/break-glass`, source_profile: `role-deploy-${PROD}` });
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/profile role-break-glass-222222222222: the trust of Production\/BreakGlass requires MFA; the AssumeRole request must carry it/)]));
    // The vendor's caller has no profile here; a generated role name has no ARN known before deployment.
    expect(Object.keys(ini).some(k => k.includes('vendor-audit'))).toBe(false);
    expect(notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/role Production\/Vendor: trusts arn:aws:iam::444444444444:role\/auditor, for which this file has no profile/),
      expect.stringMatching(/role Production\/Generated: its ARN is only known at deploy time .*give it a roleName/),
    ]));
    // Every source_profile names a profile of the file.
    for (const s of Object.values(ini)) if (s.source_profile) expect(ini[`profile ${s.source_profile}`]).toBeDefined();
  });

  test('Roles Anywhere: credential_process once the ARNs known only after deployment and the certificate are given', () => {
    const before = config();
    expect(before.sections.some(s => s.name.startsWith('profile rolesanywhere'))).toBe(false);
    expect(before.notes).toEqual(expect.arrayContaining([expect.stringMatching(
      /Roles Anywhere profile OnPrem\/Profile for arn:aws:iam::222222222222:role\/backup01: no profile rolesanywhere-backup01-222222222222.*--arn 'OnPrem\/Profile=<ARN>'.*--arn 'OnPrem\/Anchor=<ARN>'.*--certificate/)]));
    const profileArn = `arn:aws:rolesanywhere:eu-west-1:${PROD}:profile/6b5b8a9c-1d2e-4f30-8a41-0123456789ab`;
    const anchorArn = `arn:aws:rolesanywhere:eu-west-1:${PROD}:trust-anchor/0a1b2c3d-4e5f-4a6b-8c7d-0123456789ab`;
    const after = config({ certificate: 'backup01.crt', privateKey: 'backup01.key', arns: { 'OnPrem/Profile': profileArn, 'OnPrem/Anchor': anchorArn } });
    const ini = parseIni(renderIni(after.sections));
    expect(ini[`profile rolesanywhere-backup01-${PROD}`]).toEqual({
      credential_process: `aws_signing_helper credential-process --certificate backup01.crt --private-key backup01.key --trust-anchor-arn ${anchorArn} --profile-arn ${profileArn} --role-arn arn:aws:iam::${PROD}:role/backup01`,
      region: 'eu-west-1',
    });
  });

  test('merges into an existing config: other sections, comments and settings kept; ours replaced by name', () => {
    const existing = [
      '# my config',
      '[default]',
      'region = us-east-1',
      '',
      `[profile ReadOnly-${PROD}]`,
      'sso_session = old',
      'sso_account_id = 999999999999',
      'sso_role_name = Stale',
      'output = yaml',
      '',
      '[profile personal]',
      'credential_process = pass-creds personal',
      '',
    ].join('\n');
    const merged = mergeIni(existing, config().sections);
    const ini = parseIni(merged);
    expect(merged.startsWith('# my config\n[default]\nregion = us-east-1\n')).toBe(true);
    expect(ini.default).toEqual({ region: 'us-east-1' });
    expect(ini['profile personal']).toEqual({ credential_process: 'pass-creds personal' });
    expect(ini[`profile ReadOnly-${PROD}`]).toEqual({ sso_session: 'acme', sso_account_id: PROD, sso_role_name: 'ReadOnly', region: 'eu-west-1' });
    // The replaced section keeps its place, before [profile personal].
    expect(merged.indexOf(`[profile ReadOnly-${PROD}]`)).toBeLessThan(merged.indexOf('[profile personal]'));
    // Merging again changes nothing.
    expect(mergeIni(merged, config().sections)).toBe(merged);
  });

  test('as a process: writes the file with --out (merging), notes on stderr, exit code 0; bad input exits 2', async () => {
    const out = join(work, 'config');
    writeFileSync(out, '[profile personal]\nregion = us-west-2\n');
    const ok = await command(['aws-config', assembly, '--sso-start-url', START_URL, '--sso-region', 'eu-west-1', '--out', out]);
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    expect(ok.stderr).toMatch(/^cdk-access-patterns aws-config: /m);
    const ini = parseIni(readFileSync(out, 'utf8'));
    expect(ini['profile personal']).toEqual({ region: 'us-west-2' });
    expect(ini[`profile role-deploy-${PROD}`]).toMatchObject({ source_profile: `Administrator-${PROD}` });

    const bad = await command(['aws-config', join(work, 'nothing-here'), '--sso-start-url', START_URL, '--sso-region', 'eu-west-1']);
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^cdk-access-patterns: .*nothing-here is not a cloud assembly/) });
  }, 180_000);

  test('the command in process: stdout without --out, its options; bad input throws (exit code 2 as a process)', () => {
    let output = '';
    const notes: string[] = [];
    const run = (args: string[]) => awsConfigCommand(args, t => { output += t; }, t => { notes.push(t); });
    expect(run([assembly, '--sso-start-url', START_URL, '--sso-region', 'eu-west-1', '--sso-session', 'corp', '--region', 'us-east-2'])).toBe(0);
    expect(parseIni(output)[`profile ReadOnly-${DEV}`]).toEqual({ sso_session: 'corp', sso_account_id: DEV, sso_role_name: 'ReadOnly', region: 'us-east-2' });
    expect(notes.length).toBeGreaterThan(0);
    expect(main(['aws-config', assembly, '--sso-start-url', START_URL, '--sso-region', 'eu-west-1'], () => undefined)).toBe(0);
    const base = [assembly, '--sso-start-url', START_URL, '--sso-region', 'eu-west-1'];
    expect(() => run([assembly, '--sso-region', 'eu-west-1'])).toThrow(/--sso-start-url must be the AWS access portal URL/);
    expect(() => run([assembly, '--sso-start-url', 'http://acme.awsapps.com/start', '--sso-region', 'eu-west-1'])).toThrow(/--sso-start-url must be/);
    expect(() => run([assembly, '--sso-start-url', START_URL, '--sso-region', 'Ireland'])).toThrow(/--sso-region must be the region of the Identity Center instance/);
    expect(() => run([...base, '--certificate', 'a.crt'])).toThrow(/--certificate and --private-key go together/);
    expect(() => run([...base, '--arn', 'OnPrem/Profile=arn:aws:iam::1:role/x'])).toThrow(/--arn takes <construct path>=<Roles Anywhere trust anchor or profile ARN>/);
    expect(() => run([...base, '--region', 'Ohio'])).toThrow(/--region must be a region/);
    expect(() => run([...base, '--sso-session', 'a b'])).toThrow(/--sso-session must be letters/);
    expect(() => run(['--sso-start-url', START_URL, '--sso-region', 'eu-west-1'])).toThrow(/aws-config takes one assembly directory/);
    expect(() => run([...base, '--bogus'])).toThrow(/Unknown option '--bogus'/);
  });

  test('assignments sharded into nested stacks name their permission sets and accounts as well', () => {
    const outdir = join(work, 'sharded');
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': true } });
    const sso = new Stack(app, 'WorkforceAccess', { env: { account: MANAGEMENT, region: 'eu-west-1' } });
    const instance = IdentityCenterInstance.fromInstanceArn(sso, 'Instance', 'arn:aws:sso:::instance/ssoins-1234567890abcdef');
    const readOnly = new PermissionSet(sso, 'ReadOnly', { instance, managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')] });
    new AccountAssignments(sso, 'Access', {
      instance,
      shardCount: 2,
      assignments: [{ principal: IdentityCenterPrincipal.group('11111111-2222-3333-4444-000000000002'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts([PROD, DEV])] }],
    });
    app.synth();
    const { sections, notes } = awsConfigOf(templatesOfAssembly(outdir), { ssoStartUrl: START_URL, ssoRegion: 'eu-west-1' });
    expect(sections.map(x => x.name)).toEqual(['sso-session acme', `profile ReadOnly-${PROD}`, `profile ReadOnly-${DEV}`]);
    expect(notes).toEqual([]);
  });

  test('the strict parser refuses what is not config text', () => {
    expect(() => parseIni('[profile a]\nregion = x\n[profile a]\n')).toThrow(/repeated/);
    expect(() => parseIni('region = x\n')).toThrow(/not a setting of a section/);
  });
});
