/**
 * Overhead of this library over hand-written aws-cdk-lib code for the same resources.
 *
 * Builds N cross-account roles (and N vendor roles) once with CrossAccountRole /
 * ThirdPartyRole and once with plain iam.Role + PrincipalWithConditions producing the
 * same trust policies, synthesizes each app, and prints time and heap ratios
 * (library / hand-written): time to build and synthesize, and heap the app retains.
 * Run: npm run bench -- cross-account
 */
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountRole, ThirdPartyRole } from '../src';

const ROLES = Number(process.argv[2] ?? 300);
const ROUNDS = 9;

function account(i: number): string {
  return String(100000000000 + i);
}

/** CloudFormation allows 500 resources per stack: 100 pairs of roles go in each. */
function stackFor(app: App, i: number): Stack {
  const id = `Bench${Math.floor(i / 100)}`;
  return (app.node.tryFindChild(id) as Stack | undefined)
    ?? new Stack(app, id, { env: { account: '222222222222', region: 'us-east-1' } });
}

function library(): App {
  const app = new App();
  for (let i = 0; i < ROLES; i++) {
    const stack = stackFor(app, i);
    new CrossAccountRole(stack, `Deploy${i}`, {
      trustedRoleArns: [`arn:aws:iam::${account(i)}:role/ci`],
      requireSourceIdentity: true,
      externalIds: [`pipeline-${i}`],
    });
    new ThirdPartyRole(stack, `Vendor${i}`, { vendorAccountId: account(i), externalId: `vendor-external-id-${i}` });
  }
  return app;
}

function handWritten(): App {
  const app = new App();
  for (let i = 0; i < ROLES; i++) {
    const stack = stackFor(app, i);
    const deploy = new iam.Role(stack, `Deploy${i}`, { assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${account(i)}:role/ci`) });
    (deploy.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account(i)}:role/ci` },
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        Condition: { StringEquals: { 'sts:ExternalId': `pipeline-${i}` }, Null: { 'sts:SourceIdentity': 'false' } },
      }],
    };
    new iam.Role(stack, `Vendor${i}`, {
      assumedBy: new iam.AccountPrincipal(account(i)),
      externalIds: [`vendor-external-id-${i}`],
    });
  }
  return app;
}

/** The trust policies of every role in an app, by stack and logical id. */
function trustPolicies(app: App): Record<string, unknown> {
  const assembly = app.synth();
  const out: Record<string, unknown> = {};
  for (const stack of app.node.children.filter(Stack.isStack)) {
    const template = assembly.getStackByName(stack.stackName).template;
    for (const [id, r] of Object.entries<any>(template.Resources)) out[`${stack.stackName}/${id}`] = r.Properties.AssumeRolePolicyDocument;
  }
  return out;
}

/** JSON with object keys sorted, so that key order does not count as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
    : v));
}

interface Sample { ms: number[]; heapMb: number[] }

/** Holds the app being measured, so that its heap measurement counts it. */
const alive: App[] = [];

const gc: () => void = (global as any).gc ?? (() => { throw new Error('run with node --expose-gc (npm run bench does)'); });

/** Times one build + synth, and measures the heap the built app retains after a full GC. */
function once(build: () => App, into: Sample): void {
  alive.length = 0;
  gc();
  const before = process.memoryUsage().heapUsed;
  const start = process.hrtime.bigint();
  const app = build();
  app.synth();
  into.ms.push(Number(process.hrtime.bigint() - start) / 1e6);
  gc();
  into.heapMb.push((process.memoryUsage().heapUsed - before) / 2 ** 20);
  alive.push(app);
}


function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

// Both sides must build the same trust policies; this also warms up module loading and the JIT.
if (canonical(trustPolicies(library())) !== canonical(trustPolicies(handWritten()))) {
  throw new Error('the library and the hand-written app produce different trust policies');
}

// Rounds alternate between the two so that warm-up and garbage collection fall on both alike.
const lib: Sample = { ms: [], heapMb: [] };
const hand: Sample = { ms: [], heapMb: [] };
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2 === 0) {
    once(library, lib); once(handWritten, hand);
  } else {
    once(handWritten, hand); once(library, lib);
  }
}
const [libMs, handMs, libMb, handMb] = [median(lib.ms), median(hand.ms), median(lib.heapMb), median(hand.heapMb)];
console.log(`roles: ${ROLES * 2} per app (identical trust policies), median of ${ROUNDS} alternating synth runs`);
console.log(`hand-written aws-cdk-lib: ${handMs.toFixed(0)} ms, heap +${handMb.toFixed(0)} MiB`);
console.log(`cdk-access-patterns:      ${libMs.toFixed(0)} ms, heap +${libMb.toFixed(0)} MiB`);
console.log(`ratio time: ${(libMs / handMs).toFixed(2)}x   ratio heap: ${(libMb / Math.max(handMb, 1)).toFixed(2)}x`);
