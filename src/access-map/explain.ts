/**
 * Why was this call to STS allowed or refused? Evaluates one role's trust policy, read from
 * a synthesized template, against one request, statement by statement and condition by
 * condition, the way IAM evaluates a role's trust policy: an explicit Deny wins, then an
 * Allow lets in, and nothing else does. Values only known at deploy time (`⟨...⟩`) that
 * decide the outcome leave it undecided, and the explanation says so.
 */
import { Evaluator } from './evaluate';
import { CallerContext, ConditionOutcome, Tri, and, contextOf, evaluateCondition, matchMarked, not, or } from './private/conditions';
import { AssumeCall, ExplainInputError } from './private/requests';
import { describeCondition } from './readers/words';
import { LoadedTemplate } from './templates';
import { ReadStatement, readTrustPolicy } from '../core/trust-reader';

/** The outcome of a request. */
export type Verdict = 'allowed' | 'refused' | 'undecided';

/** One condition of a statement, evaluated. */
export interface ExplainedCondition {
  /** The condition in plain words, as the access map says it. */
  readonly text: string;
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
  /** True, false, or undefined when a deploy-time value decides. */
  readonly result: Tri;
  /** The request's value of the key; undefined when the request does not carry it. */
  readonly actual?: string | string[];
  readonly note?: string;
}

/** One statement of the trust policy, evaluated for one action. */
export interface ExplainedStatement {
  /** 1-based, in policy order. */
  readonly index: number;
  readonly effect: string;
  /** The principal element in words. */
  readonly principalText: string;
  readonly principal: Tri;
  readonly principalNote?: string;
  readonly action: Tri;
  readonly conditions: ExplainedCondition[];
  /** Whether the statement applies to the request. */
  readonly applies: Tri;
}

/** The evaluation of one action the call needs (the call's own, and `sts:TagSession` etc.). */
export interface ExplainedAction {
  readonly action: string;
  readonly verdict: Verdict;
  readonly statements: ExplainedStatement[];
}

/** Why a request was allowed or refused. */
export interface Explanation {
  readonly role: { readonly stack: string; readonly path: string; readonly roleName: string; readonly account: string };
  readonly call: AssumeCall;
  readonly verdict: Verdict;
  readonly actions: ExplainedAction[];
  /** Checks STS makes before the trust policy (the provider's client ids), when they refuse. */
  readonly refusedBeforeTrust: string[];
  /** The likely causes and their fixes, in plain words. */
  readonly fixes: string[];
}

/** A role of the assembly, found by `--role` or by the role ARN of a CloudTrail record. */
export interface FoundRole {
  readonly loaded: LoadedTemplate;
  readonly logicalId: string;
}

/**
 * The role that `query` names: `Stack/construct/path`, the construct path below its stack,
 * the role name or the logical id; without a query, the role whose name ends `roleArn`.
 */
export function findRole(templates: LoadedTemplate[], query: string | undefined, roleArn?: string): FoundRole {
  const all: Array<FoundRole & { path: string; name: string; stack: string }> = [];
  for (const loaded of templates) {
    const ev = new Evaluator(loaded);
    for (const [id, r] of Object.entries<any>(loaded.template.Resources ?? {})) {
      if (r?.Type === 'AWS::IAM::Role') all.push({ loaded, logicalId: id, path: ev.label(id), name: ev.roleName(id), stack: loaded.stack });
    }
  }
  const arnName = roleArn ? /:role\/(?:.*\/)?([^/]+)$/.exec(roleArn)?.[1] : undefined;
  const wanted = query ?? arnName;
  if (wanted === undefined) throw new ExplainInputError('--role is required (the construct path or the name of the role)');
  const hits = all.filter(r => [`${r.stack}/${r.path}`, r.path, r.name, r.logicalId].includes(wanted));
  if (hits.length === 1) return hits[0];
  const list = (rs: typeof all) => rs.slice(0, 20).map(r => `${r.stack}/${r.path}`).join(', ');
  if (hits.length === 0) throw new ExplainInputError(`no role '${wanted}' in the assembly; roles: ${list(all) || 'none'}`);
  throw new ExplainInputError(`'${wanted}' names ${hits.length} roles (${list(hits)}); pass the stack and path`);
}

/** How {@link explainCall} reads the request. */
export interface ExplainOptions {
  /**
   * The caller makes the request itself and passes what the trust wants for the keys a
   * caller passes (ExternalId, session name, source identity, session tags): how a role of
   * the app reaches another in a chain.
   *
   * @default false
   */
  readonly callerChooses?: boolean;
}

/** Evaluates the role's trust policy against the call. */
export function explainCall(found: FoundRole, call: AssumeCall, options: ExplainOptions = {}): Explanation {
  const ev = new Evaluator(found.loaded);
  const resource = ev.resource(found.logicalId);
  const statements = readTrustPolicy(ev, resource?.Properties?.AssumeRolePolicyDocument);
  const account = ev.account;
  const context = options.callerChooses ? new CallerContext(contextOf(call.context)) : contextOf(call.context);
  const actions = [call.action, ...call.also.filter(a => a !== call.action)].map(action => {
    const explained = statements.map((s, i) => explainStatement(s, i + 1, action, call.principal, context, account));
    return { action, verdict: decide(explained), statements: explained };
  });
  const refusedBeforeTrust = clientIdRefusals(statements, call);
  const verdicts = actions.map(a => a.verdict);
  const verdict: Verdict = refusedBeforeTrust.length > 0 || verdicts.includes('refused') ? 'refused'
    : verdicts.includes('undecided') ? 'undecided' : 'allowed';
  const explanation = {
    role: { stack: found.loaded.stack, path: ev.label(found.logicalId), roleName: ev.roleName(found.logicalId), account },
    call,
    verdict,
    actions,
    refusedBeforeTrust,
    fixes: [] as string[],
  };
  return { ...explanation, fixes: verdict === 'allowed' ? [] : fixesOf(explanation, statements) };
}

/** An explicit Deny wins; then an Allow lets in; otherwise the request is refused. */
function decide(statements: ExplainedStatement[]): Verdict {
  const deny = or(statements.filter(s => s.effect === 'Deny').map(s => s.applies));
  const allow = or(statements.filter(s => s.effect !== 'Deny').map(s => s.applies));
  if (deny === true || allow === false) return 'refused';
  return deny === false && allow === true ? 'allowed' : 'undecided';
}

function explainStatement(
  s: ReadStatement, index: number, action: string, principal: string, context: ReturnType<typeof contextOf>, account: string,
): ExplainedStatement {
  const p = principalMatch(s, principal, account);
  const actionResult = s.notActions.length > 0
    ? not(or(s.notActions.map(a => matchMarked(a, action, { like: true, ignoreCase: true }))))
    : or(s.actions.map(a => matchMarked(a, action, { like: true, ignoreCase: true })));
  const conditions: ExplainedCondition[] = s.conditions.map(c => {
    const outcome: ConditionOutcome = evaluateCondition(c, context);
    return { text: describeCondition(c), operator: c.operator, key: c.key, values: c.values, ...outcome };
  });
  for (const text of s.opaqueText) conditions.push({ text, operator: 'Condition', key: '', values: [], result: undefined, note: 'only known at deploy time' });
  return {
    index,
    effect: s.effect,
    principalText: principalText(s),
    principal: p.result,
    ...(p.note ? { principalNote: p.note } : {}),
    action: actionResult,
    conditions,
    applies: and([p.result, actionResult, ...conditions.map(c => c.result)]),
  };
}

function principalText(s: ReadStatement): string {
  if (s.unresolvedPrincipal) return s.unresolvedPrincipal;
  const list = (ps: Record<string, string[]>) => Object.entries(ps).map(([type, values]) => `${type} ${values.join(', ')}`).join('; ');
  return s.notPrincipals ? `anyone except ${list(s.notPrincipals)}` : list(s.principals);
}

function principalMatch(s: ReadStatement, principal: string, account: string): { result: Tri; note?: string } {
  if (s.unresolvedPrincipal) return { result: undefined, note: 'the principal is only known at deploy time' };
  if (s.notPrincipals) {
    const excluded = Object.entries(s.notPrincipals)
      .flatMap(([type, values]) => values.map(v => principalValueMatch(type, v, principal, account).result));
    return { result: not(or(excluded)) };
  }
  const results = Object.entries(s.principals).flatMap(([type, values]) => values.map(v => principalValueMatch(type, v, principal, account)));
  const result = or(results.map(r => r.result));
  return { result, ...(result !== true ? { note: results.find(r => r.note)?.note } : {}) };
}

const IAM_ARN = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/;

function principalValueMatch(type: string, value: string, principal: string, account: string): { result: Tri; note?: string } {
  if (type === 'Service' || type === 'CanonicalUser') return { result: matchMarked(value, principal, {}) };
  if (type === 'Federated') {
    const result = matchMarked(value, principal, {});
    // STS looks the OIDC provider up in the role's own account: a provider of another account never matches.
    const provider = /^arn:[^:]+:iam::(\d{12}):oidc-provider\/(.+)$/.exec(value);
    const called = /^arn:[^:]+:iam::(\d{12}):oidc-provider\/(.+)$/.exec(principal);
    if (provider && /^\d{12}$/.test(account) && provider[1] !== account) {
      return { result: false, note: `the trust names the OIDC provider ${provider[2]} of account ${provider[1]}, but STS accepts only the provider of the role's own account ${account}` };
    }
    if (provider && called && provider[2] === called[2] && provider[1] !== called[1]) {
      return { result: false, note: `the token was presented to the provider of account ${called[1]}; the trust names the one of account ${provider[1]}` };
    }
    return { result };
  }
  if (type !== 'AWS') return { result: false };
  // The same text names the same principal, deploy-time markers included (a role of the same template).
  if (value === '*' || value === principal) return { result: true };
  const caller = IAM_ARN.exec(principal);
  const root = /^(?:arn:[^:]+:iam::)?(\d{12}|⟨[^⟩]*⟩)(?::root)?$/.exec(value);
  if (root) return { result: caller ? matchMarked(root[1], caller[3], {}) : false };
  if (!caller) return { result: false };
  const exact = matchMarked(value, principal, {});
  if (exact !== false) return { result: exact };
  // A session of a role matches the role (`arn:aws:sts::A:assumed-role/NAME/SESSION` for `arn:aws:iam::A:role/PATH/NAME`).
  const session = /^assumed-role\/([^/]+)\/[^/]+$/.exec(caller[4]);
  const role = /^arn:([^:]+):iam::([^:]+):role\/(?:.*\/)?([^/]+)$/.exec(value);
  if (session && role) {
    return { result: and([matchMarked(role[1], caller[1], {}), matchMarked(role[2], caller[3], {}), matchMarked(role[3], session[1], {})]) };
  }
  return { result: false };
}

/**
 * STS checks a token's audience against the client ids of the OIDC provider before it reads
 * the trust policy: where the provider is defined next to the role, that check is made here too.
 */
function clientIdRefusals(statements: ReadStatement[], call: AssumeCall): string[] {
  const out: string[] = [];
  for (const s of statements) {
    const ids = s.clientIds[call.principal];
    if (!ids || ids.some(id => id.includes('⟨'))) continue;
    const host = call.principal.replace(/^arn:[^:]+:iam::[^:]*:oidc-provider\//, '');
    const aud = Object.entries(call.context).find(([k]) => k.toLowerCase() === `${host}:aud`.toLowerCase())?.[1];
    const auds = aud === undefined ? [] : Array.isArray(aud) ? aud : [aud];
    if (!auds.some(a => ids.includes(a))) {
      out.push(`the OIDC provider ${host} accepts the audiences ${ids.join(', ')}; the token's audience is ${auds.join(', ') || 'missing'}`);
    }
  }
  return [...new Set(out)];
}

/** The likely causes of a refusal (or of an undecided outcome), with their fixes. */
function fixesOf(e: Omit<Explanation, 'fixes'>, statements: ReadStatement[]): string[] {
  const fixes: string[] = [];
  for (const r of e.refusedBeforeTrust) fixes.push(`${r}: add the audience to the provider's client ids, or request a token for one of them.`);
  const main = e.actions[0];
  const allows = main.statements.filter(s => s.effect !== 'Deny');
  const denied = main.statements.filter(s => s.effect === 'Deny' && s.applies === true);
  for (const s of denied) fixes.push(`statement ${s.index} denies this request explicitly: ${s.principalText}.`);
  const reaching = allows.filter(s => s.principal !== false && s.action !== false);
  if (main.verdict === 'refused' && reaching.length === 0) {
    const notes = [...new Set(allows.map(s => s.principalNote).filter((n): n is string => n !== undefined))];
    if (notes.length > 0) fixes.push(...notes.map(n => `${n}.`));
    else if (allows.some(s => s.principal !== false)) fixes.push(`no Allow statement allows ${e.call.action}: the trust allows ${[...new Set(statements.flatMap(s => s.actions))].join(', ') || 'no action'}.`);
    else fixes.push(`no Allow statement trusts ${e.call.principal}: it trusts ${allows.map(s => s.principalText).join('; ') || 'nobody'}.`);
  }
  for (const s of reaching) {
    for (const c of s.conditions.filter(x => x.result !== true)) fixes.push(conditionFix(c, s.index));
  }
  for (const a of e.actions.slice(1)) {
    if (a.verdict !== 'refused' || main.verdict === 'refused') continue;
    if (a.action === 'sts:TagSession') {
      fixes.push('the call passes session tags, and no statement allows sts:TagSession for this caller: add sts:TagSession to the trust statement, or stop passing tags.');
    } else if (a.action === 'sts:SetSourceIdentity') {
      fixes.push('the call sets a source identity, and no statement allows sts:SetSourceIdentity for this caller: add it to the trust statement.');
    } else {
      fixes.push(`no statement allows ${a.action} for this caller.`);
    }
  }
  return [...new Set(fixes)];
}

function valueText(v: string | string[] | undefined): string {
  return v === undefined ? 'nothing' : Array.isArray(v) ? v.join(', ') : v;
}

/** What a failing (or undecided) condition means, and the fix for the common causes. */
function conditionFix(c: ExplainedCondition, index: number): string {
  const where = `statement ${index}`;
  if (c.result === undefined) return `${where}: ${c.text} cannot be decided here${c.note ? ` (${c.note})` : ' (a value only known at deploy time decides it)'}.`;
  const key = c.key.toLowerCase();
  const expected = c.values.join(' or ');
  if (key.endsWith(':sub')) return `${where}: ${subjectFix(c)}`;
  if (key.endsWith(':aud')) {
    return c.actual === undefined
      ? `${where}: the token has no audience (aud); the trust expects ${expected}. Request the token for that audience (aws-actions/configure-aws-credentials asks for sts.amazonaws.com).`
      : `${where}: the token's audience is ${valueText(c.actual)}; the trust expects ${expected}. Request the token for that audience, or trust the audience the token carries.`;
  }
  if (key === 'sts:externalid') {
    return c.actual === undefined
      ? `${where}: the caller passed no ExternalId; the trust requires one. The vendor must pass the ExternalId it gave you.`
      : `${where}: the caller passed ExternalId ${valueText(c.actual)}, which the trust does not expect (ExternalId mismatch): use the ExternalId the vendor gives for this account.`;
  }
  if (key === 'aws:multifactorauthpresent' || key === 'aws:multifactorauthage') return `${where}: the trust requires MFA (${c.text}); sign in with MFA, or pass --serial-number and --token-code.`;
  if (key === 'sts:sourceidentity') return `${where}: the trust requires a source identity (${c.text}); set one when assuming the role (--source-identity).`;
  if (key === 'aws:sourcearn') return `${where}: the request comes from ${valueText(c.actual)}; the trust expects ${expected} (another trust anchor or resource).`;
  if (c.actual === undefined) return `${where}: the request does not carry ${c.key}; the trust requires ${c.text}${c.note ? ` (${c.note})` : ''}.`;
  return `${where}: the request has ${c.key} = ${valueText(c.actual)}; the trust requires ${c.text}${c.note ? ` (${c.note})` : ''}.`;
}

/** A subject that does not match: the common GitHub, GitLab and EKS causes in words. */
function subjectFix(c: ExplainedCondition): string {
  const actual = c.actual;
  const expected = c.values;
  if (actual === undefined) return `the token has no sub claim; the trust expects ${expected.join(' or ')}.`;
  const sub = valueText(actual);
  const base = `the token's sub is ${sub}; the trust expects ${expected.join(' or ')}`;
  const immutable = (v: string) => /^repo:[^/:@]+@\d+\//.test(v);
  if (immutable(sub) && !expected.some(immutable)) {
    return `${base}. The token uses the immutable-id form (repo:OWNER@ID/REPO@ID): trust it with GitHubSubject.immutableRepository(...).`;
  }
  if (!immutable(sub) && expected.some(immutable)) return `${base}. The trust expects the immutable-id form, the token names the repository by name.`;
  if (expected.some(e => e.toLowerCase() === sub.toLowerCase())) return `${base}. They differ in case only: sub is compared case-sensitively.`;
  if (/:environment:/.test(sub) && expected.some(e => /:ref:/.test(e))) {
    return `${base}. The job runs in a GitHub environment, which replaces the ref in sub: trust GitHubSubject.environment(...), or run the job without the environment.`;
  }
  if (/:ref:/.test(sub) && expected.some(e => /:environment:/.test(e))) {
    return `${base}. The trust expects a job of a GitHub environment: add \`environment:\` to the job.`;
  }
  if (/:pull_request$/.test(sub)) return `${base}. Pull request jobs carry sub repo:OWNER/REPO:pull_request: trust GitHubSubject.pullRequest(...) if they should get in.`;
  if (/^repository_owner:|^repository_id:|^repo:.+:(job_workflow_ref|context):/.test(sub) || expected.some(e => /^repository_owner:|job_workflow_ref/.test(e))) {
    return `${base}. The repository's OIDC subject template is customized (include_claim_keys): the trust and the template must agree.`;
  }
  return `${base}.`;
}

const MARK: Record<string, string> = { true: '✓', false: '✗', undefined: '?' };

/** The explanation in plain words, for the terminal. */
export function explanationText(e: Explanation): string {
  const out: string[] = [];
  const name = e.role.roleName.startsWith('⟨') ? '' : ` (${e.role.roleName})`;
  out.push(`Role ${e.role.stack}/${e.role.path}${name} in account ${e.role.account}`);
  out.push(`Request: ${e.call.action} by ${e.call.principal}`);
  for (const [k, v] of Object.entries(e.call.context)) out.push(`  ${k} = ${valueText(v)}`);
  for (const a of e.actions) {
    out.push('', `${a.action}:`);
    for (const s of a.statements) {
      out.push(`  Statement ${s.index} (${s.effect}): ${MARK[String(s.applies)]} ${s.applies === true ? 'applies' : s.applies === false ? 'does not apply' : 'cannot be decided'}`);
      out.push(`    ${MARK[String(s.principal)]} principal: ${s.principalText}${s.principalNote ? ` (${s.principalNote})` : ''}`);
      out.push(`    ${MARK[String(s.action)]} action ${a.action}`);
      for (const c of s.conditions) {
        const got = c.operator === 'Condition' ? '' : ` (the request has ${valueText(c.actual)})`;
        out.push(`    ${MARK[String(c.result)]} ${c.text}${got}${c.note ? `: ${c.note}` : ''}`);
      }
    }
    if (a.statements.length === 0) out.push('  the trust policy has no statement');
  }
  for (const r of e.refusedBeforeTrust) out.push('', `Before the trust policy: ${r}`);
  out.push('');
  const say = {
    allowed: 'ALLOWED: an Allow statement applies, and no Deny statement does.',
    refused: 'REFUSED: no Allow statement applies to the request (or a Deny statement does).',
    undecided: 'CANNOT DECIDE: the outcome depends on values only known at deploy time (⟨...⟩).',
  }[e.verdict];
  out.push(say);
  if (e.fixes.length > 0) out.push('', 'Why, and what to change:', ...e.fixes.map(f => `- ${f}`));
  return `${out.join('\n')}\n`;
}
