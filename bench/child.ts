/**
 * One measurement, in a process of its own (started by bench/run.ts, compiled to
 * JavaScript first so that neither ts-node nor the TypeScript compiler is in the process).
 *
 * `measure`: loads the variant's modules, builds the app and synthesizes it (templates
 * written to a temporary outdir), then prints the times, the peak RSS of the process
 * and the heap in use after a full GC (the app still alive).
 * `verify`: builds every variant of the row once and checks that they produce the same
 * resources; prints the checks and facts such as stacks and the most resources in one.
 */
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { App } from 'aws-cdk-lib';
import { accountAssignmentsOf, crossAccount, github, IDENTITY_CENTER, identityCenter, loadVariant, nag, platform, VariantName } from './workloads';

/** What the parent asks for. */
export interface ChildRequest {
  readonly mode: 'measure' | 'verify';
  readonly bench: string;
  readonly size: number;
  readonly variant?: VariantName;
  readonly variants?: VariantName[];
  readonly outdir: string;
  /** The platform row's L1 replay: written by `verify`, read by the `replay` variant. */
  readonly replayFile?: string;
}

/** One measurement. */
export interface Sample {
  /** Loading the modules the variant imports. */
  readonly loadMs: number;
  /** Building the construct tree. */
  readonly buildMs: number;
  /** `app.synth()`, templates written. */
  readonly synthMs: number;
  /** Peak resident set size of the process. */
  readonly rssMb: number;
  /** Heap in use after a full GC, the app alive. */
  readonly heapMb: number;
}

const MARK = '@@bench ';

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function gc(): void {
  const collect = (global as any).gc as (() => void) | undefined;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
}

function build(request: ChildRequest, variant: VariantName, outdir: string): App {
  const { bench, size } = request;
  switch (bench) {
    case 'github': return github(variant, size, outdir);
    case 'cross-account': return crossAccount(variant, size, outdir);
    case 'identity-center': return identityCenter(variant, size, outdir);
    case 'nag': return nag(variant, size, outdir);
    case 'platform': return platform(variant, size, outdir, request.replayFile);
    default: throw new Error(`unknown benchmark ${bench}`);
  }
}

function measure(request: ChildRequest): Sample {
  const variant = request.variant!;
  const t0 = now();
  loadVariant(variant);
  const t1 = now();
  const app = build(request, variant, request.outdir);
  const t2 = now();
  app.synth();
  const t3 = now();
  gc();
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  // Keeps the app alive up to the heap measurement.
  if (app.node.children.length < 0) console.log(app.node.path);
  return { loadMs: t1 - t0, buildMs: t2 - t1, synthMs: t3 - t2, rssMb, heapMb };
}

// ---------------------------------------------------------------------------------------
// verify
// ---------------------------------------------------------------------------------------

interface Synthesized {
  /** Template by file name (top-level and nested stacks). */
  readonly templates: Record<string, any>;
  readonly app: App;
}

function synthesize(request: ChildRequest, variant: VariantName): Synthesized {
  const outdir = join(request.outdir, variant);
  const app = build(request, variant, outdir);
  const assembly = app.synth();
  const templates: Record<string, any> = {};
  for (const file of readdirSync(assembly.directory).filter(f => f.endsWith('.template.json'))) {
    templates[file] = JSON.parse(readFileSync(join(assembly.directory, file), 'utf8'));
  }
  return { templates, app };
}

/** JSON with object keys sorted, so that key order does not count as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
    : v));
}

function resourcesOf(s: Synthesized, type?: string): Array<[string, any]> {
  const out: Array<[string, any]> = [];
  for (const [file, t] of Object.entries(s.templates)) {
    for (const [id, r] of Object.entries<any>(t.Resources ?? {})) {
      if (type === undefined || r.Type === type) out.push([`${file}/${id}`, r]);
    }
  }
  return out;
}

/** Stacks (templates), nested stacks, and the most resources in one template. */
function shape(s: Synthesized): Record<string, number> {
  const counts = Object.values(s.templates).map(t => Object.keys(t.Resources ?? {}).length);
  return {
    stacks: counts.length,
    nestedStacks: Object.keys(s.templates).filter(f => f.endsWith('.nested.template.json')).length,
    resources: counts.reduce((a, b) => a + b, 0),
    maxResourcesPerStack: Math.max(...counts),
  };
}

function trustPolicies(s: Synthesized): Record<string, unknown> {
  return Object.fromEntries(resourcesOf(s, 'AWS::IAM::Role').map(([id, r]) => [id, r.Properties.AssumeRolePolicyDocument]));
}

/** Resolves `Fn::Join` and `Ref AWS::Partition` (as `aws`) to a string. */
function flatten(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.Ref === 'AWS::Partition') return 'aws';
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(flatten).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

/**
 * What a GitHub trust lets in, whatever the operators: the principal, the audiences and
 * the subjects, by role.
 */
function githubAccess(s: Synthesized): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of resourcesOf(s, 'AWS::IAM::Role')) {
    const [statement] = r.Properties.AssumeRolePolicyDocument.Statement;
    const values: Record<string, unknown[]> = {};
    for (const block of Object.values<any>(statement.Condition)) {
      for (const [key, v] of Object.entries(block)) values[key] = [...(values[key] ?? []), ...[v].flat()];
    }
    out[id] = { principal: flatten(statement.Principal.Federated), action: statement.Action, ...values };
  }
  return out;
}

/** The operator each role's `sub` condition uses, counted. */
function subOperators(s: Synthesized): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, r] of resourcesOf(s, 'AWS::IAM::Role')) {
    for (const [operator, block] of Object.entries<any>(r.Properties.AssumeRolePolicyDocument.Statement[0].Condition)) {
      if (Object.keys(block).some(k => k.endsWith(':sub'))) out[operator] = (out[operator] ?? 0) + 1;
    }
  }
  return out;
}

/** How many resources of each type each template holds. */
function typeCounts(s: Synthesized): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [path, r] of resourcesOf(s)) {
    if (r.Type === 'AWS::CDK::Metadata') continue;
    const counts = (out[path.split('/')[0]] ??= {});
    counts[r.Type] = (counts[r.Type] ?? 0) + 1;
  }
  return out;
}

/**
 * Each role's trust policy with the statements that differ only in their actions merged
 * into one (the way IAM evaluates them), actions sorted.
 */
function mergedTrustPolicies(s: Synthesized): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, r] of resourcesOf(s, 'AWS::IAM::Role')) {
    const merged = new Map<string, Set<string>>();
    for (const statement of r.Properties.AssumeRolePolicyDocument.Statement) {
      const { Action, ...rest } = statement;
      const key = canonical(rest);
      const actions = merged.get(key) ?? new Set<string>();
      for (const a of [Action].flat()) actions.add(a);
      merged.set(key, actions);
    }
    out[id] = [...merged].map(([key, actions]) => ({ ...JSON.parse(key), Action: [...actions].sort() }))
      .sort((a, b) => canonical(a).localeCompare(canonical(b)));
  }
  return out;
}

/**
 * The most resources CloudFormation would start at once in any template: assignments that
 * depend on no other assignment, and nested stacks that depend on no other nested stack.
 */
function mostAssignmentsAtOnce(s: Synthesized): { assignments: number; nestedStacks: number } {
  let assignments = 0;
  let nestedStacks = 0;
  for (const t of Object.values(s.templates)) {
    const resources: Record<string, any> = t.Resources ?? {};
    const free = (type: string): number => Object.values(resources).filter(r => r.Type === type
      && ![r.DependsOn ?? []].flat().some((d: string) => resources[d]?.Type === type)).length;
    assignments = Math.max(assignments, free('AWS::SSO::Assignment'));
    nestedStacks = Math.max(nestedStacks, free('AWS::CloudFormation::Stack'));
  }
  return { assignments, nestedStacks };
}

function withoutMetadata(templates: Record<string, any>): unknown {
  return Object.values(templates).map(t => Object.fromEntries(Object.entries<any>(t.Resources ?? {}).filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')));
}

interface Verification {
  readonly checks: Array<{ check: string; ok: boolean }>;
  readonly facts: Record<string, unknown>;
  readonly notes: string[];
}

function verify(request: ChildRequest): Verification {
  const variants = request.variants!;
  const checks: Array<{ check: string; ok: boolean }> = [];
  const facts: Record<string, unknown> = {};
  const notes: string[] = [];
  const built: Partial<Record<VariantName, Synthesized>> = {};
  for (const v of variants) {
    loadVariant(v);
    built[v] = synthesize(request, v);
    facts[v] = shape(built[v]!);
  }
  const ours = built.ours;
  const hand = built.hand;
  switch (request.bench) {
    case 'github': {
      checks.push({ check: 'ours and hand-written: identical trust policies', ok: canonical(trustPolicies(ours!)) === canonical(trustPolicies(hand!)) });
      checks.push({ check: 'ours and hand-written: identical templates', ok: canonical(withoutMetadata(ours!.templates)) === canonical(withoutMetadata(hand!.templates)) });
      if (built.peer) {
        checks.push({ check: 'peer: same principal, action, audience and subject per role', ok: canonical(githubAccess(ours!)) === canonical(githubAccess(built.peer)) });
        facts.subOperators = { ours: subOperators(ours!), peer: subOperators(built.peer) };
        notes.push('The peer differs in detail: its sub condition is always StringLike (exact subjects included) and its provider ARN '
          + 'has a fixed arn:aws partition; ours and the hand-written roles use StringEquals for exact subjects and the stack\'s partition.');
      }
      break;
    }
    case 'cross-account':
      checks.push({ check: 'ours and hand-written: identical trust policies', ok: canonical(trustPolicies(ours!)) === canonical(trustPolicies(hand!)) });
      break;
    case 'identity-center': {
      const tuples = (s: Synthesized): string[] => resourcesOf(s, 'AWS::SSO::Assignment')
        .map(([, r]) => `${r.Properties.PrincipalType}|${r.Properties.PrincipalId}|${r.Properties.TargetType}|${r.Properties.TargetId}`).sort();
      const sets = (s: Synthesized): string[] => resourcesOf(s, 'AWS::SSO::PermissionSet').map(([, r]) => canonical({
        Name: r.Properties.Name, SessionDuration: r.Properties.SessionDuration, ManagedPolicies: r.Properties.ManagedPolicies,
      })).sort();
      checks.push({ check: 'same assignments (principal, account) and permission sets', ok: canonical(tuples(ours!)) === canonical(tuples(hand!)) && canonical(sets(ours!)) === canonical(sets(hand!)) });
      const assignments = tuples(ours!).length;
      facts.assignments = assignments;
      checks.push({ check: `${assignments.toLocaleString('en-US')} assignments synthesize`, ok: assignments === request.size * IDENTITY_CENTER.groups * IDENTITY_CENTER.permissionSets });
      checks.push({ check: 'at most 500 resources in every stack', ok: (facts.ours as any).maxResourcesPerStack <= 500 });
      // Growth (+1 group, +10 accounts) moves no existing assignment.
      const placement = (app: App): Map<string, string> => {
        const access = accountAssignmentsOf(app);
        return new Map(access.assignments.map(a => [a.stack.resolve(a.logicalId) as string, a.stack.node.path]));
      };
      const before = placement(ours!.app);
      const grownApp = identityCenter('ours', request.size + 10, join(request.outdir, 'grown'), IDENTITY_CENTER.groups + 1);
      const after = placement(grownApp);
      let moved = 0;
      for (const [id, where] of before) if (after.get(id) !== where) moved++;
      facts.movedOnGrowth = moved;
      checks.push({ check: 'growth (+1 group, +10 accounts) moves no assignment', ok: moved === 0 });
      for (const v of ['ours', 'hand'] as const) {
        const most = mostAssignmentsAtOnce(built[v]!);
        facts[`${v}MostCreatedAtOnce`] = most;
        checks.push({ check: `${v === 'ours' ? 'ours' : 'hand-written'}: at most ${IDENTITY_CENTER.concurrency} assignments created at once in any stack, the nested stacks one after another`, ok: most.assignments <= IDENTITY_CENTER.concurrency && most.nestedStacks <= 1 });
      }
      if (built.unchained) facts.unchainedMostCreatedAtOnce = mostAssignmentsAtOnce(built.unchained);
      notes.push('Hand-written: CfnPermissionSet and CfnAssignment in 50 NestedStacks, round-robin placement, ids by index '
        + '(placement that moves assignments when the set grows; ours places by a hash of each combination), with the DependsOn chains '
        + `deployment needs: each assignment depends on the one created ${IDENTITY_CENTER.concurrency} before it in its stack, each nested stack on the one before it.`);
      if (built.unchained) {
        notes.push('Floor (informational): the same L1s without the chains; CloudFormation would start every assignment of a stack at once, which AWS::SSO::Assignment does not survive.');
      }
      break;
    }
    case 'nag':
      checks.push({ check: 'the pack and the no-op plugin synthesize the same templates', ok: canonical(withoutMetadata(built.pack!.templates)) === canonical(withoutMetadata(built.noop!.templates)) });
      break;
    case 'platform': {
      if (!request.replayFile) throw new Error('platform needs a replay file');
      const replayed = built.replay!;
      checks.push({ check: 'the L1 replay synthesizes the same resources', ok: canonical(withoutMetadata(ours!.templates)) === canonical(withoutMetadata(replayed.templates)) });
      checks.push({ check: 'hand-written L2 code: as many resources of each type in each stack', ok: canonical(typeCounts(ours!)) === canonical(typeCounts(hand!)) });
      const tuples = (x: Synthesized): string[] => {
        const setNames = new Map(resourcesOf(x, 'AWS::SSO::PermissionSet').map(([id, r]) => [id.split('/')[1], r.Properties.Name]));
        return resourcesOf(x, 'AWS::SSO::Assignment').map(([, r]) => `${setNames.get(r.Properties.PermissionSetArn['Fn::GetAtt'][0])}|${r.Properties.PrincipalId}|${r.Properties.TargetId}`).sort();
      };
      checks.push({ check: 'hand-written L2 code: the same assignments (permission set, group, account)', ok: canonical(tuples(ours!)) === canonical(tuples(hand!)) });
      checks.push({ check: 'hand-written L2 code: the same trust policies', ok: canonical(mergedTrustPolicies(ours!)) === canonical(mergedTrustPolicies(hand!)) });
      const types = new Set(resourcesOf(ours!).map(([, r]) => r.Type));
      facts.resourceTypes = [...types].sort();
      notes.push('Hand-written: iam.Role with aws-cdk-lib principals, OidcProviderNative, events.Rule with an SnsTopic target; '
        + 'L1s for Roles Anywhere, Identity Center and the identity pool\'s role attachment (aws-cdk-lib has no L2 for them). '
        + 'aws-cdk-lib has no principal for sts:SetSourceIdentity, so the hand-written roles that allow it carry it in a second statement.');
      notes.push('Floor (informational): an L1 replay, one CfnResource per resource of the templates this library synthesizes, the least any code can do.');
      break;
    }
  }
  return { checks, facts, notes };
}

/** Writes the platform app's templates (by stack) for the L1 replay. */
function writeReplay(request: ChildRequest): void {
  const app = platform('ours', request.size, join(request.outdir, 'replay-source'));
  const assembly = app.synth();
  const out: Record<string, unknown> = {};
  for (const stack of assembly.stacks) {
    out[stack.stackName] = { env: { account: stack.environment.account, region: stack.environment.region }, template: stack.template };
  }
  writeFileSync(request.replayFile!, JSON.stringify(out));
}

if (require.main === module) {
  const request = JSON.parse(process.argv[2]) as ChildRequest;
  let result: unknown;
  if (request.mode === 'measure') {
    result = measure(request);
  } else {
    if (request.bench === 'platform') writeReplay(request);
    result = verify(request);
  }
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}
