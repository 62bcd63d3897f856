/**
 * `explain` agrees with IAM policy simulation on the trust corpus: each row's statement,
 * synthesized as a plain role, is asked about the row's own requests and about every
 * request of the other rows that name the same principal; the verdict of `explain` (read
 * from the template, deploy-time values as markers) must equal the simulator's (run on the
 * template with concrete test values), or say it cannot decide where a deploy-time value
 * decides.
 */
import { CORPUS, corpusApp } from './trust-corpus';
import { explainCall, findRole } from '../../src/access-map/explain';
import { fromPrincipal } from '../../src/access-map/private/requests';
import { templatesOfStack } from '../../src/access-map/templates';
import { CALLER_ACCOUNT, TEST_ACCOUNT } from '../support/env';
import { AssumeRequest, simulatePolicy } from '../support/simulate';
import { resolveIntrinsics } from '../support/template';

const { stack, template } = corpusApp();
const templates = templatesOfStack(stack);

/** Every request of the corpus, by the principal element of its row's statement. */
const byPrincipal = new Map<string, AssumeRequest[]>();
for (const row of CORPUS) {
  const key = JSON.stringify(row.statement.Principal ?? row.statement.NotPrincipal);
  byPrincipal.set(key, [...byPrincipal.get(key) ?? [], ...[row.allowed, row.attack].filter((r): r is AssumeRequest => r !== undefined)]);
}

/** Concrete values of the corpus' parameters for the simulator (explain reads them as deploy-time markers). */
const PARAMETERS: Record<string, string> = {
  Owner: 'acme',
  Owner2: 'acme',
  Branch: 'main',
  Subject: 'repo:acme/api:*',
  GoogleClient: '123456789012-abc.apps.googleusercontent.com',
  TrustedAccount: CALLER_ACCOUNT,
  TrustedRole: `arn:aws:iam::${CALLER_ACCOUNT}:role/ci`,
};

/** The row's trust policy with concrete test values, or undefined where the test resolver cannot choose (Fn::If). */
function concretePolicy(id: string): any {
  try {
    return resolveIntrinsics(template, template.Resources[id].Properties.AssumeRolePolicyDocument, PARAMETERS);
  } catch {
    return undefined;
  }
}

/** Whether the row's statement holds a value deploy time chooses freely (a parameter, a condition's choice). */
function deployTimeChosen(row: { statement: unknown; parameters?: string[] }): boolean {
  return (row.parameters ?? []).length > 0 || /"Fn::If"/.test(JSON.stringify(row.statement));
}

const rows = CORPUS.map((row, i) => ({ ...row, id: `Row${i}` }));
/** Requests compared with the simulator, over all rows. */
let compared = 0;

describe('explain agrees with IAM policy simulation on the trust corpus', () => {
  test.each(rows)('$label: $name', async (row) => {
    const own = [row.allowed, row.attack].filter((r): r is AssumeRequest => r !== undefined);
    const probes = [...new Set([...own, ...byPrincipal.get(JSON.stringify(row.statement.Principal ?? row.statement.NotPrincipal)) ?? []])];
    const policy = concretePolicy(row.id);
    const found = findRole(templates, row.id);
    const disagreements: string[] = [];
    for (const request of probes) {
      let simulated: string;
      const explained = explainCall(found, fromPrincipal(request.principal, request.context ?? {}, request.action)).verdict;
      if (policy === undefined) {
        // A statement or value chosen by a CloudFormation condition: explain must not claim it lets the caller in.
        if (explained === 'allowed') disagreements.push(`${request.principal}: chosen at deploy time, explain allowed`);
        continue;
      }
      try {
        simulated = (await simulatePolicy(policy, `arn:aws:iam::${TEST_ACCOUNT}:role/${row.id}`, request)).toLowerCase();
      } catch {
        // The simulator refuses a malformed policy (IAM would refuse to create it): explain must not let it in.
        simulated = 'malformed';
      }
      compared++;
      const agrees = explained === (simulated === 'allowed' ? 'allowed' : 'refused')
        || (explained === 'undecided' && (deployTimeChosen(row) || simulated === 'malformed'))
        || (simulated === 'malformed' && explained !== 'allowed');
      if (!agrees) disagreements.push(`${request.principal} ${JSON.stringify(request.context)}: simulation ${simulated}, explain ${explained}`);
    }
    expect(disagreements).toEqual([]);
  });

  test('over a thousand requests were compared with the simulator', () => {
    expect(compared).toBeGreaterThan(1000);
  });

  test('every row with a request is decided, except where deploy time chooses a value', () => {
    const undecided = rows.filter(r => r.allowed || r.attack).filter(row => {
      const request = (row.allowed ?? row.attack)!;
      return explainCall(findRole(templates, row.id), fromPrincipal(request.principal, request.context ?? {}, request.action)).verdict === 'undecided';
    });
    expect(undecided.filter(r => !deployTimeChosen(r)).map(r => r.name)).toEqual([]);
  });

  test('a value chosen at deploy time that decides the outcome is said to be undecided', () => {
    const row = rows.find(r => r.name === 'AWS: an account chosen at deploy time')!;
    const e = explainCall(findRole(templates, row.id), fromPrincipal('arn:aws:iam::111111111111:role/ci', {}));
    expect(e.verdict).toBe('undecided');
    const chosen = rows.find(r => r.name === 'AWS: a principal chosen by a condition')!;
    expect(explainCall(findRole(templates, chosen.id), fromPrincipal('arn:aws:iam::111111111111:role/ci', {})).verdict).toBe('undecided');
  });
});
