/**
 * One reader per principal kind, in a table, as the nag pack's rules are: each says a way in
 * in words. What is broad comes from the one definition of a narrow trust
 * (`core/trust-scope`); no reader decides it.
 */
import { awsWayIn } from './aws';
import { builtInReader } from './built-in';
import { cognito } from './cognito';
import { ecsTasks } from './ecs-tasks';
import { EKS_WORDS } from './eks';
import { GITHUB_WORDS } from './github';
import { GITLAB_WORDS } from './gitlab';
import { OTHER_ISSUER, oidcReader } from './oidc';
import { podIdentity } from './pod-identity';
import { rolesAnywhere } from './roles-anywhere';
import { saml } from './saml';
import { WayRead, WayReader, kindOf, principalList, way } from './words';
import { builtInProvider, serviceName, WayKind } from '../../core/trust-scope';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { isUnresolved } from '../evaluate';
import { AccessMapWayIn } from '../model';

/** An AWS service principal other than Roles Anywhere and Pod Identity. */
function service(r: WayRead): AccessMapWayIn[] {
  const { s, w, broad } = r;
  const name = serviceName(w.principal);
  if (name === 'ecs-tasks' && !isUnresolved(w.principal)) return ecsTasks(r);
  return [way(AccessMapKind.SERVICE, `AWS service ${name && isUnresolved(w.principal) ? `${name}.amazonaws.com` : w.principal}`, s, new Set(), broad)];
}

/** A principal only known at deploy time, everyone but `NotPrincipal`, or a canonical user. */
function other({ s, w, broad }: WayRead): AccessMapWayIn[] {
  if (s.unresolvedPrincipal !== undefined && w.principal === s.unresolvedPrincipal) {
    return [way(AccessMapKind.UNRESOLVED, s.unresolvedPrincipal, s, new Set(), broad)];
  }
  if (w.principal === '*' && s.notPrincipals && w.reasons.some(r => r.finding === 'NotPrincipal')) {
    return [way(AccessMapKind.ANY_PRINCIPAL, `anyone except ${principalList(s.notPrincipals)}`, s, new Set(), broad)];
  }
  return [way(kindOf(w), `canonical user ${w.principal}`, s, new Set(), broad)];
}

/** The reader of each kind of way in. */
const READERS: Record<WayKind, WayReader> = {
  [WayKind.AWS_ACCOUNT]: awsWayIn,
  [WayKind.AWS_PRINCIPAL]: awsWayIn,
  [WayKind.ORGANIZATION]: awsWayIn,
  [WayKind.ANY_PRINCIPAL]: awsWayIn,
  [WayKind.SERVICE]: service,
  [WayKind.ROLES_ANYWHERE]: rolesAnywhere,
  [WayKind.EKS_POD_IDENTITY]: podIdentity,
  [WayKind.GITHUB_ACTIONS]: oidcReader(GITHUB_WORDS),
  [WayKind.GITLAB_CI]: oidcReader(GITLAB_WORDS),
  [WayKind.EKS_SERVICE_ACCOUNT]: oidcReader(EKS_WORDS),
  // IAM's built-in providers (Google, Facebook, Login with Amazon) say their app and users; other issuers their subjects.
  [WayKind.OIDC]: r => {
    const builtIn = builtInProvider(r.w.principal);
    return builtIn ? builtInReader(builtIn)(r) : oidcReader(OTHER_ISSUER)(r);
  },
  [WayKind.COGNITO]: cognito,
  [WayKind.SAML]: saml,
  [WayKind.UNRESOLVED]: other,
};

/** Says one way in in words, with the reader of its kind. */
export function readWayIn(r: WayRead): AccessMapWayIn[] {
  // An AWS value reads as one, whatever its kind (a value chosen at deploy time is still an AWS principal).
  if ((r.s.principals.AWS ?? []).includes(r.w.principal)) return awsWayIn(r);
  // `NotPrincipal`, canonical users and principals chosen at deploy time are ways no AWS value names.
  if (r.w.kind === WayKind.ANY_PRINCIPAL || r.w.kind === WayKind.AWS_PRINCIPAL) return other(r);
  return READERS[r.w.kind](r);
}
