/** AWS principals: accounts, roles, users and sessions, organizations, any principal. */
import { AccessMapKind } from '../../core/trust-scope/kind';
import { splitOutsideMarkers } from '../evaluate';
import { AccessMapWayIn } from '../model';
import { NARROWING, WayRead, find, hasWildcard, kindOf, ownAccount, valuesText, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';

/** Reads an AWS principal (`AWS` or `"*"`) in words. */
export function awsWayIn(r: WayRead): AccessMapWayIn[] {
  return [awsWay(r)];
}

function awsWay({ ev, s, w, broad }: WayRead): AccessMapWayIn {
  const value = w.principal;
  const consumed = new Set<Condition>();
  const take = (cs: Condition[]) => { cs.forEach(c => consumed.add(c)); return cs; };
  const externalId = take(find(s, 'sts:ExternalId', NARROWING));
  const principalArn = take(find(s, 'aws:PrincipalArn', NARROWING));
  const withText = [
    externalId.length > 0 ? `with ExternalId${hasWildcard(externalId) ? ` ${valuesText(externalId)}` : ''}` : '',
    principalArn.length > 0 ? `with principal ARN like ${principalArn.flatMap(c => c.values).join(' or ')}` : '',
  ].filter(Boolean).join(', ');
  const suffix = withText ? ` ${withText}` : '';
  if (value === '*') {
    const org = take(find(s, 'aws:PrincipalOrgID', NARROWING));
    if (org.length > 0) return way(AccessMapKind.ORGANIZATION, `anyone in organization ${valuesText(org)}${suffix}`, s, consumed, broad);
    const paths = take(find(s, 'aws:PrincipalOrgPaths', /^(ForAnyValue:)?(StringEquals|StringLike)$/));
    if (paths.length > 0) return way(AccessMapKind.ORGANIZATION, `anyone in organization path ${valuesText(paths)}${suffix}`, s, consumed, broad);
    const account = take(find(s, 'aws:PrincipalAccount', NARROWING));
    if (account.length > 0) return way(AccessMapKind.AWS_ACCOUNT, `any principal of account ${valuesText(account)}${suffix}`, s, consumed, broad);
    return way(AccessMapKind.ANY_PRINCIPAL, `any AWS principal${suffix}`, s, consumed, broad);
  }
  const own = (account: string) => ownAccount(ev, account);
  const root = /^(\d{12}|⟨this account⟩)$/.exec(value) ?? /^arn:[^:]+:iam::(\d{12}|⟨[^⟩]*⟩):root$/.exec(value);
  if (root) return way(AccessMapKind.AWS_ACCOUNT, `account ${own(root[1])}${suffix}`, s, consumed, broad);
  const iam = /^arn:[^:]+:(iam|sts)::([^:]+):(role|user|assumed-role|federated-user)\/(.+)$/.exec(value);
  if (iam) {
    const [, , account, type, rest] = iam;
    const parts = splitOutsideMarkers(rest, '/');
    const who = type === 'assumed-role'
      ? `session ${parts[1]} of role ${parts[0]} in account ${own(account)}`
      : `${type.replace('-', ' ')} ${type === 'role' || type === 'user' ? parts[parts.length - 1] : rest} in account ${own(account)}`;
    return way(AccessMapKind.AWS_PRINCIPAL, `${who}${suffix}`, s, consumed, broad);
  }
  return way(kindOf(w), `AWS principal ${value}${suffix}`, s, consumed, broad);
}
