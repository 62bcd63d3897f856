import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AccessPatternsChecks } from '../../src';
import { TEST_ENV } from '../support/env';

/**
 * Which acknowledgement ids silence a finding, as src/nag/README.md documents them: each
 * form is written on a role of its own (each role trusts another account, so each has a
 * finding id of its own), and the app is checked the two ways a finding is reported:
 * `cdk synth` (the pack registered with `Validations.of(app).addPlugins`; aws-cdk-lib's
 * report) and `validateScope` (what tests and the nag helpers call).
 */
const RULE = 'AccessPatterns-TrustAccountRootNarrowed';
const finding = (account: string): string => `${RULE}[Principal::arn:aws:iam::${account}:root]`;

interface Form {
  /** How the README names the form. */
  readonly name: string;
  /** The acknowledged id, for the finding of `account`. */
  readonly id: (account: string) => string;
  /** Where the acknowledgement is written: the L2 role, its CfnRole, or another construct. */
  readonly on?: (role: iam.Role, stack: Stack) => Construct;
  /** Whether the finding is gone under `cdk synth`, and under `validateScope`. */
  readonly synth: boolean;
  readonly validateScope: boolean;
}

const FORMS: Form[] = [
  { name: 'the finding id as the pack reports it, on the role', id: finding, synth: true, validateScope: true },
  { name: 'the finding id, on the CfnRole', id: finding, on: r => r.node.defaultChild!, synth: true, validateScope: true },
  { name: 'the finding id, on the stack (an ancestor)', id: finding, on: (_r, s) => s, synth: true, validateScope: true },
  { name: 'the report\'s suggestion: plugin name, ::, finding id', id: a => `AccessPatterns::${finding(a)}`, synth: true, validateScope: false },
  { name: 'aws-cdk-lib\'s annotation namespace, ::, finding id', id: a => `Annotation::${finding(a)}`, synth: true, validateScope: true },
  { name: 'the rule id alone', id: () => RULE, synth: false, validateScope: false },
  { name: 'the plugin name and the rule id alone', id: () => `AccessPatterns::${RULE}`, synth: false, validateScope: false },
  { name: 'a wildcard in the suffix', id: () => `${RULE}[Principal::*]`, synth: false, validateScope: false },
  { name: 'another case', id: a => finding(a).toLowerCase(), synth: false, validateScope: false },
  { name: 'the finding id, on a construct that is not an ancestor', id: finding, on: (_r, s) => s.node.findChild('Other'), synth: false, validateScope: false },
];

/** A finding whose value holds a space: aws-cdk-lib stores the acknowledged id with '-' for ' '. */
const SPACED = 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::repo:acme/docs site*]';

interface Reported { readonly synth: string[]; readonly validateScope: string[] }
let reported: Reported;

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'acknowledgement-ids-'));
  try {
    const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
    Validations.of(app).addPlugins(new AccessPatternsChecks(app));
    const stack = new Stack(app, 'Acks', { env: TEST_ENV });
    new Construct(stack, 'Other');
    FORMS.forEach((form, i) => {
      const account = String(100000000001 + i);
      const role = new iam.Role(stack, `Role${i}`, { assumedBy: new iam.AccountPrincipal(account) });
      Validations.of(form.on ? form.on(role, stack) : role).acknowledge({ id: form.id(account), reason: 'test' });
    });
    // The same finding twice, acknowledged as the pack reports it and as the CDK report suggests.
    for (const [id, ack] of [['SpacedPlain', SPACED], ['SpacedPrefixed', `AccessPatterns::${SPACED}`]]) {
      const spaced = new iam.Role(stack, id, {
        assumedBy: new iam.PrincipalWithConditions(
          new iam.FederatedPrincipal(`arn:aws:iam::${TEST_ENV.account}:oidc-provider/token.actions.githubusercontent.com`, {}, 'sts:AssumeRoleWithWebIdentity'),
          { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/docs site*' } }),
      });
      Validations.of(spaced).acknowledge({ id: ack, reason: 'test' });
    }

    // A rule without finding suffixes (an error: synthesis fails unless the acknowledgement works).
    const key = new iam.CfnAccessKey(stack, 'LegacyKey', { userName: 'legacy' });
    Validations.of(key).acknowledge({ id: 'AccessPatterns-NoIamUserAccessKeys', reason: 'test' });

    // cdk synth: aws-cdk-lib prints the report and writes it as JSON; warnings do not fail it.
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      app.synth();
    } finally {
      log.mockRestore();
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf-8'));
    const synth: string[] = report.pluginReports
      .filter((r: any) => r.pluginName === 'AccessPatterns')
      .flatMap((r: any) => r.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => `${c.constructPath} ${v.ruleName}`)));
    const validateScope = new AccessPatternsChecks().validateScope(app).violations
      .flatMap(v => v.violatingResources.map(r => `${r.constructPath} ${v.ruleName}`));
    reported = { synth, validateScope };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);

describe('acknowledgement ids (src/nag/README.md)', () => {
  test.each(FORMS.map((form, i) => [form.name, form, i] as const))('%s', (_name, form, i) => {
    const expected = `Acks/Role${i}/Resource ${finding(String(100000000001 + i))}`;
    // THEN: gone where the form works, still reported where it does not
    expect(reported.synth.includes(expected)).toBe(!form.synth);
    expect(reported.validateScope.includes(expected)).toBe(!form.validateScope);
  });

  test('a finding without suffix is acknowledged with the rule id alone', () => {
    // GIVEN: the same key without acknowledgement is reported with the rule id alone
    const bare = new Stack(new App(), 'Bare', { env: TEST_ENV });
    new iam.CfnAccessKey(bare, 'LegacyKey', { userName: 'legacy' });
    expect(new AccessPatternsChecks().validateScope(bare).violations.map(v => v.ruleName)).toEqual(['AccessPatterns-NoIamUserAccessKeys']);
    // THEN
    expect(reported.synth.filter(l => l.startsWith('Acks/LegacyKey '))).toEqual([]);
    expect(reported.validateScope.filter(l => l.startsWith('Acks/LegacyKey '))).toEqual([]);
  });

  test('a finding whose value holds a space: only the prefixed form, only under cdk synth', () => {
    expect(reported.synth).toContain(`Acks/SpacedPlain/Resource ${SPACED}`);
    expect(reported.validateScope).toContain(`Acks/SpacedPlain/Resource ${SPACED}`);
    expect(reported.synth).not.toContain(`Acks/SpacedPrefixed/Resource ${SPACED}`);
    expect(reported.validateScope).toContain(`Acks/SpacedPrefixed/Resource ${SPACED}`);
  });

  test('nothing else is reported', () => {
    const ours = (list: string[]) => list.filter(l => !/^Acks\/(Role\d+|SpacedPlain|SpacedPrefixed)\/Resource /.test(l));
    expect(ours(reported.synth)).toEqual([]);
    expect(ours(reported.validateScope)).toEqual([]);
  });
});
