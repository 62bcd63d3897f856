import { App, Stack } from 'aws-cdk-lib';
import { CORPUS, CorpusRow, Label, corpusApp } from './trust-corpus';
import { AccessMap, AccessPatternsChecks } from '../../src';
import { scopeContextOf } from '../../src/core/regions';
import { ResolvedValueReader, readTrustPolicy } from '../../src/core/trust-reader';
import { Breadth, statementScope } from '../../src/core/trust-scope';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { simulatePolicy } from '../support/simulate';
import { resolveIntrinsics, templateOf } from '../support/template';

const LABEL_OF: Record<Breadth, Label> = {
  [Breadth.NARROW]: 'narrow',
  [Breadth.OWNER_WIDE]: 'owner-wide',
  [Breadth.UNRESOLVED]: 'unresolved',
  [Breadth.BROAD]: 'broad',
  [Breadth.INVALID]: 'invalid',
};

/** The rules that say how far a trust reaches; the others (session length, size, actions) are not about breadth. */
const BREADTH_RULES = /^AccessPatterns-(TrustWebIdentityAudience|TrustWebIdentitySubject|TrustWebIdentitySubjectOwnerWide|TrustNoSetOperatorOnSingleValuedKey|TrustAnyPrincipalScoped|TrustAccountRootNarrowed|TrustRolesAnywhereSourceArn|TrustSamlAudience|TrustStatementWellFormed)\[/;
const OWNER_WIDE_RULES = /^AccessPatterns-(TrustWebIdentitySubjectOwnerWide|TrustAccountRootNarrowed)\[/;

const { app, stack, template } = corpusApp();
const rows = CORPUS.map((row, i) => ({ ...row, id: `Row${i}` }));

/** Nag findings by role path, with their severities. */
const findings = new Map<string, Array<{ rule: string; severity: string }>>();
for (const v of new AccessPatternsChecks().validateScope(app).violations) {
  for (const r of v.violatingResources) {
    const id = (r.constructPath ?? '').split('/')[1];
    findings.set(id, [...(findings.get(id) ?? []), { rule: v.ruleName, severity: v.severity ?? '' }]);
  }
}
const map = AccessMap.fromStack(stack);

describe('the trust corpus', () => {
  test('has at least 150 statements, covering every label', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    expect(new Set(CORPUS.map(r => r.label))).toEqual(new Set<Label>(['narrow', 'owner-wide', 'unresolved', 'broad', 'invalid']));
    expect(new Set(CORPUS.map(r => r.name)).size).toBe(CORPUS.length);
  });

  describe.each(rows)('$label: $name', (row: CorpusRow & { id: string }) => {
    test('the one definition of a narrow trust says so', () => {
      const doc = template.Resources[row.id].Properties.AssumeRolePolicyDocument;
      const ctx = scopeContextOf(stack);
      const reader = new ResolvedValueReader({
        ...ctx,
        isResource: id => template.Resources[id] !== undefined,
        providerClientIds: id => template.Resources[id]?.Properties?.ClientIdList,
      });
      const breadth = Math.max(Breadth.NARROW, ...readTrustPolicy(reader, doc).map(s => statementScope(s, ctx).breadth)) as Breadth;
      expect(LABEL_OF[breadth]).toBe(row.label);
    });

    test('the nag pack agrees', () => {
      const mine = (findings.get(row.id) ?? []).filter(f => BREADTH_RULES.test(f.rule));
      const errors = mine.filter(f => f.severity === 'error').map(f => f.rule);
      switch (row.label) {
        case 'narrow':
          expect(mine.map(f => f.rule)).toEqual([]);
          break;
        case 'owner-wide':
          expect(errors).toEqual([]);
          // Owner-wide certificates and Pod Identity associations have no rule of their own: the constructs and the map say them.
          if (!/^(Roles Anywhere|Pod Identity)/.test(row.name)) expect(mine.filter(f => OWNER_WIDE_RULES.test(f.rule))).not.toEqual([]);
          break;
        case 'unresolved':
          expect(mine).not.toEqual([]);
          break;
        default:
          expect(errors).not.toEqual([]);
      }
    });

    test('the access map agrees', () => {
      const role = map.roles.find(r => r.logicalId === row.id)!;
      const broad = role.waysIn.filter(w => w.broad !== undefined);
      if (row.label === 'narrow') expect(broad.map(w => `${w.who}: ${w.broad}`)).toEqual([]);
      else expect(broad).not.toEqual([]);
    });

    if (row.construct) {
      test('the construct that emits it agrees', () => {
        const build = () => {
          const scope = new Stack(new App(), 'Ci', { env: TEST_ENV });
          row.construct!(scope);
          templateOf(scope);
        };
        if (row.label === 'narrow' || (row.label === 'owner-wide' && row.optIn)) expect(build).not.toThrow();
        else expect(build).toThrow(/^Invalid |Validation failed/);
      });
    }

    const requests = [...(row.allowed ? [['allowed', row.allowed] as const] : []), ...(row.attack ? [['attack', row.attack] as const] : [])];
    if (requests.length > 0) {
      test('IAM policy simulation agrees', async () => {
        const policy = resolveIntrinsics(template, template.Resources[row.id].Properties.AssumeRolePolicyDocument);
        const roleArn = `arn:aws:iam::${TEST_ACCOUNT}:role/${row.id}`;
        for (const [kind, request] of requests) {
          const expected = kind === 'allowed' || row.label !== 'narrow' ? 'Allowed' : 'Denied';
          expect(`${kind}: ${await simulatePolicy(policy, roleArn, request)}`).toBe(`${kind}: ${expected}`);
        }
      });
    }
  });

  test('constructs are tested against at least 60 rows, narrow and refused', () => {
    expect(CORPUS.filter(r => r.construct).length).toBeGreaterThanOrEqual(60);
    expect(new Set(CORPUS.filter(r => r.construct).map(r => r.label))).toEqual(new Set<Label>(['narrow', 'owner-wide', 'broad', 'invalid']));
  });

  test('every narrow row with a caller has an attacker that is denied, and every broad or owner-wide one an attacker that gets in', () => {
    const missing = CORPUS.filter(r => (r.label === 'narrow' && r.allowed && !r.attack) || ((r.label === 'broad' || r.label === 'owner-wide') && !r.attack && r.allowed));
    expect(missing.map(r => r.name)).toEqual([]);
  });
});
