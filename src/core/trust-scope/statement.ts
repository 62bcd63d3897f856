/** Statements: every way in of one statement, and the problems of the statement as a whole (part of the one definition of a narrow trust: see `index.ts`). */
import { awsWay } from './aws';
import { CONDITION_OPERATOR, allowsAction, isMultiValuedKey } from './conditions';
import { federatedWay } from './federated';
import { Breadth, ScopeCheck, ScopeContext, ScopeReason, StatementScope, WayKind, WayScope, reason, way, widest } from './model';
import { serviceWay } from './services';
import { ReadStatement, isDeployTime } from '../trust-reader';


/**
 * What one statement lets in: one way per principal value, each with its breadth and
 * reasons, and the problems of the statement as a whole. A Deny statement lets nobody in.
 */
export function statementScope(s: ReadStatement, ctx: ScopeContext = {}): StatementScope {
  const problems = statementProblems(s, ctx);
  if (s.effect !== 'Allow') return { ways: [], problems, breadth: widest(problems) };
  const ways: WayScope[] = [];
  if (s.unresolvedPrincipal) {
    ways.push(way(WayKind.UNRESOLVED, s.unresolvedPrincipal, true, [
      reason(ScopeCheck.ANY_PRINCIPAL, Breadth.UNRESOLVED, 'Unresolved::Principal', 'the principal is only known at deploy time',
        'name the principal in the template, or check the deployed value'),
    ], []));
  }
  if (s.notPrincipals) {
    ways.push(way(WayKind.ANY_PRINCIPAL, '*', allowsAction(s, 'sts:AssumeRole'), [
      reason(ScopeCheck.ANY_PRINCIPAL, Breadth.BROAD, 'NotPrincipal', 'NotPrincipal lets in every principal but those named',
        'name the principals allowed in Principal instead'),
    ], []));
  }
  for (const value of s.principals.AWS ?? []) ways.push(awsWay(s, value, ctx));
  for (const value of s.principals.Service ?? []) ways.push(serviceWay(s, value, ctx));
  for (const value of s.principals.Federated ?? []) ways.push(federatedWay(s, value));
  for (const value of s.principals.CanonicalUser ?? []) ways.push(way(WayKind.AWS_PRINCIPAL, value, allowsAction(s, 'sts:AssumeRole'), [], []));
  // Condition blocks only known at deploy time can only narrow (conditions AND): each kind says where one might decide.
  const assuming = ways.filter(w => w.assumes);
  return { ways, problems, breadth: Math.max(widest(problems), ...assuming.map(w => w.breadth), Breadth.NARROW) };
}

function statementProblems(s: ReadStatement, ctx: ScopeContext): ScopeReason[] {
  const out: ScopeReason[] = [];
  for (const c of s.conditions) {
    if (!CONDITION_OPERATOR.test(c.operator)) {
      const fixed = /^(ForAnyValue|ForAllValues)(\w+)$/.exec(c.operator);
      out.push(reason(ScopeCheck.CONDITION_FORM, Breadth.INVALID, `Operator::${c.operator}`,
        `${c.operator} is not an IAM condition operator, so the policy is refused or the condition never holds`,
        fixed ? `write ${fixed[1]}:${fixed[2]}` : 'use an operator IAM documents, e.g. StringEquals'));
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(c.key)) {
      out.push(reason(ScopeCheck.CONDITION_FORM, Breadth.INVALID, `Key::${c.key}`,
        `the key ${c.key} names the issuer with its scheme, and IAM never fills such a key`,
        `write ${c.key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`));
    }
    if (/^For(AnyValue|AllValues):/.test(c.operator) && !isMultiValuedKey(c.key)) {
      out.push(reason(ScopeCheck.SET_OPERATOR, Breadth.INVALID, `Condition::${c.operator}::${c.key}`,
        `${c.operator.split(':')[0]}: on the single-valued key ${c.key}${c.operator.startsWith('ForAllValues') ? ' is true when the key is absent' : ' hides the mistake'}`,
        `use ${c.operator.split(':')[1]} on ${c.key}`));
    }
  }
  if (s.effect === 'Allow') {
    const wild = s.actions.filter(a => /[*?]/.test(a));
    if (wild.length > 0 || s.notActions.length > 0) {
      out.push(reason(ScopeCheck.ACTIONS, Breadth.NARROW, s.notActions.length > 0 ? `NotAction::${s.notActions.join(',')}` : `Action::${wild.join(',')}`,
        s.notActions.length > 0 ? 'NotAction allows every other STS action' : `${wild.join(', ')} allows more STS actions than the principal needs`,
        'name the STS actions, e.g. sts:AssumeRole and sts:TagSession', true));
    }
  }
  for (const [type, values] of Object.entries(s.principals)) {
    for (const v of values) {
      if (v === '*' || isDeployTime(v)) continue;
      if (/^arn:/.test(v) && /[*?]/.test(v)) {
        out.push(reason(ScopeCheck.PRINCIPAL_FORM, Breadth.INVALID, `Principal::${v}`,
          `IAM refuses a wildcard inside a principal ARN (${v})`,
          'name the principal exactly, and match patterns with a condition on aws:PrincipalArn (ArnLike)'));
        continue;
      }
      const partition = /^arn:([^:]+):/.exec(v)?.[1];
      if (partition && ctx.partition && !isDeployTime(partition) && partition !== ctx.partition && type !== 'Service') {
        out.push(reason(ScopeCheck.PRINCIPAL_FORM, Breadth.INVALID, `Principal::${v}`,
          `the principal is in the ${partition} partition, but the role in ${ctx.partition}, and principals of another partition never match`,
          `use the ARN of the ${ctx.partition} partition`));
      }
    }
  }
  return out;
}
