/** Federated principals: OIDC providers, IAM's built-in providers, Cognito identity pools and SAML providers (part of the one definition of a narrow trust: see `index.ts`). */
import { allowsAction, conditionsBreadth, isLikeOperator, isNarrowingOperator, narrowing } from './conditions';
import { GITHUB, WILD, familyOf, subjectBreadth } from './issuers';
import { Breadth, ScopeCheck, ScopeReason, SubjectEntry, WayKind, WayScope, reason, way } from './model';
import { ReadCondition, ReadStatement, isDeployTime, isFreeDeployTime } from '../trust-reader';


/**
 * IAM's built-in web identity providers (IAM "Available keys for AWS web identity
 * federation"): the key that carries the app id (what pins the app: narrow when exact), the
 * key that carries the user (optional), and Google's `oaud`, the audience the caller asked
 * for, which any Google service account can choose freely and so pins nothing on its own.
 */
export interface BuiltInProvider {
  /** The provider's name in words. */
  readonly name: string;
  /** The `Federated` principal. */
  readonly principal: string;
  /** The key that carries the app (client) id. */
  readonly audience: string;
  /** The key that carries the user id. */
  readonly subject: string;
  /** Other documented keys of the provider (Google's `oaud`). */
  readonly others: string[];
}

const BUILT_IN: Record<string, BuiltInProvider> = {
  'accounts.google.com': { name: 'Google', principal: 'accounts.google.com', audience: 'accounts.google.com:aud', subject: 'accounts.google.com:sub', others: ['accounts.google.com:oaud'] },
  'www.amazon.com': { name: 'Login with Amazon', principal: 'www.amazon.com', audience: 'www.amazon.com:app_id', subject: 'www.amazon.com:user_id', others: [] },
  'graph.facebook.com': { name: 'Facebook', principal: 'graph.facebook.com', audience: 'graph.facebook.com:app_id', subject: 'graph.facebook.com:id', others: [] },
};

/** The built-in web identity provider a `Federated` principal names, if it names one. */
export function builtInProvider(principal: string): BuiltInProvider | undefined {
  return Object.prototype.hasOwnProperty.call(BUILT_IN, principal) ? BUILT_IN[principal] : undefined;
}

export function federatedWay(s: ReadStatement, value: string): WayScope {
  if (/^cognito-identity\.amazonaws\.com(\.cn)?$/.test(value)) return cognitoWay(s, value);
  if (/:saml-provider\/./.test(value) || (allowsAction(s, 'sts:AssumeRoleWithSAML') && !allowsAction(s, 'sts:AssumeRoleWithWebIdentity'))) {
    return samlWay(s, value);
  }
  return oidcWay(s, value);
}

function cognitoWay(s: ReadStatement, value: string): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRoleWithWebIdentity');
  const reasons: ScopeReason[] = [];
  const pools = narrowing(s, /^cognito-identity\.amazonaws\.com:aud$/i).filter(c => !/^For/.test(c.operator));
  if (pools.length === 0) {
    reasons.push(reason(ScopeCheck.AUDIENCE, s.opaque.length > 0 ? Breadth.UNRESOLVED : Breadth.INVALID,
      s.opaque.length > 0 ? s.opaque.map(o => `Unresolved::${o}`).join(',') : 'Missing::cognito-identity.amazonaws.com:aud',
      'no identity pool named (cognito-identity.amazonaws.com:aud); IAM refuses such a trust', 'add StringEquals cognito-identity.amazonaws.com:aud with the identity pool id'));
  } else {
    const b = conditionsBreadth(pools, (v, like) => (like && /[*?]/.test(v) ? Breadth.BROAD : Breadth.NARROW));
    if (b !== Breadth.NARROW) {
      reasons.push(reason(ScopeCheck.AUDIENCE, b, b === Breadth.UNRESOLVED ? 'Unresolved::cognito-identity.amazonaws.com:aud' : `Audience::${pools.flatMap(c => c.values).join(',')}`,
        b === Breadth.UNRESOLVED ? 'the identity pool is only known at deploy time' : 'the identity pool id is a pattern: identities of other pools get in',
        'name the identity pool id exactly'));
    }
  }
  const amr = s.conditions.filter(c => /^cognito-identity\.amazonaws\.com:amr$/i.test(c.key) && /^ForAnyValue:String(Equals|Like)$|^String(Equals|Like)$/.test(c.operator));
  const values = amr.flatMap(c => c.values);
  if (amr.length === 0 || values.some(v => /^[*?]+$/.test(v) || (isLikeOperator(amr[0].operator) && /^[*?]/.test(v)))) {
    reasons.push(reason(ScopeCheck.SUBJECT, Breadth.BROAD, amr.length === 0 ? 'Missing::cognito-identity.amazonaws.com:amr' : `Subject::amr:${values.join(',')}`,
      'the trust does not say authenticated or unauthenticated: guests get in wherever the pool allows them',
      'add ForAnyValue:StringLike cognito-identity.amazonaws.com:amr with authenticated (or unauthenticated for a guest role)'));
  } else if (values.includes('unauthenticated')) {
    reasons.push(reason(ScopeCheck.SUBJECT, Breadth.OWNER_WIDE, 'Subject::amr:unauthenticated',
      'unauthenticated (guest) identities: anyone who can reach the identity pool, without signing in',
      'keep the guest role to what anyone may do'));
  }
  return way(WayKind.COGNITO, value, assumes, reasons, [...pools, ...amr], { issuer: 'cognito-identity.amazonaws.com' });
}

function samlWay(s: ReadStatement, value: string): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRoleWithSAML');
  const reasons: ScopeReason[] = [];
  const audiences = s.conditions.filter(c => c.key.toLowerCase() === 'saml:aud' && /^String(Equals|EqualsIgnoreCase|Like)$/.test(c.operator) && c.values.length > 0);
  const b = audiences.length === 0 ? Breadth.BROAD : conditionsBreadth(audiences, (v, like) => (like && /[*?]/.test(v) ? Breadth.BROAD : Breadth.NARROW));
  if (b !== Breadth.NARROW) {
    const opaque = audiences.length === 0 && s.opaque.length > 0;
    reasons.push(reason(ScopeCheck.SAML_AUDIENCE, opaque ? Breadth.UNRESOLVED : b,
      opaque ? s.opaque.map(o => `Unresolved::${o}`).join(',') : audiences.length === 0 ? 'Missing::SAML:aud' : `Audience::${audiences.flatMap(c => c.values).join(',')}`,
      'no exact SAML:aud: assertions the IdP issues for other service providers are accepted',
      'add StringEquals SAML:aud with the sign-in endpoint of the partition, e.g. https://signin.aws.amazon.com/saml'));
  }
  return way(WayKind.SAML, value, assumes, reasons, audiences);
}

/** GitHub claims that pin the repository (narrow) or the owner (owner-wide) when used as condition keys. */
const GITHUB_TENANT_CLAIMS: Array<[RegExp, Breadth]> = [
  [/:(repository|repository_id)$/, Breadth.NARROW],
  [/:(repository_owner|repository_owner_id|enterprise_id)$/, Breadth.OWNER_WIDE],
];

function oidcWay(s: ReadStatement, value: string): WayScope {
  const assumes = allowsAction(s, 'sts:AssumeRoleWithWebIdentity');
  const fromArn = /:oidc-provider\/(.+)$/.exec(value)?.[1];
  const builtIn = builtInProvider(value);
  const keyIssuers = s.conditions.map(c => /^(.+):(sub|aud|amr|azp)$/.exec(c.key)?.[1]).filter((x): x is string => x !== undefined);
  const issuer = builtIn ? value : fromArn ?? keyIssuers[0];
  const reasons: ScopeReason[] = [];
  const pinnedBy: ReadCondition[] = [];
  const issuerLabel = issuer ?? '<issuer>';
  // A key whose issuer part is only known at deploy time may be this issuer's: it can narrow, or never hold.
  const keyOf = (claim: string) => (c: ReadCondition) => (issuer && !isDeployTime(c.key)
    ? c.key.toLowerCase() === `${issuer}:${claim}`.toLowerCase() : new RegExp(`:${claim}$`, 'i').test(c.key));

  // The audience: exact values only (StringLike without a wildcard is exact too).
  const audienceKey = builtIn ? (c: ReadCondition) => c.key.toLowerCase() === builtIn.audience : keyOf('aud');
  const audiences = s.conditions.filter(c => audienceKey(c) && /^String(Equals|EqualsIgnoreCase|Like)$/.test(c.operator) && c.values.length > 0);
  pinnedBy.push(...audiences);
  const audienceFinding = builtIn ? builtIn.audience : `${issuerLabel}:aud`;
  if (audiences.length === 0) {
    const clientIds = s.clientIds[value];
    if (s.opaque.length > 0) {
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.UNRESOLVED, s.opaque.map(o => `Unresolved::${o}`).join(','), 'the audience condition is only known at deploy time', 'check the deployed value'));
    } else if (clientIds && clientIds.length > 0 && clientIds.every(id => id !== '' && !WILD.test(id) && !isFreeDeployTime(id))) {
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.NARROW, `Missing::${audienceFinding}`,
        `no audience condition: STS checks the token's audience against the provider's client ids (${clientIds.join(', ')}) alone, and a client id added to the provider later widens this role too`,
        `add StringEquals ${audienceFinding}`, true));
    } else if (builtIn) {
      const others = s.conditions.filter(c => [builtIn.subject, ...builtIn.others].includes(c.key.toLowerCase()) && isNarrowingOperator(c.operator));
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.BROAD, `Missing::${audienceFinding}`,
        others.length > 0
          ? `no app id (${audienceFinding}): ${others.map(c => c.key).join(' and ')} alone ${others.length === 1 ? 'is' : 'are'} also in tokens ${builtIn.name} mints for other apps${builtIn.others.length > 0 ? ' (oaud is the audience the caller asked for, which any Google service account chooses freely)' : ''}`
          : `no app id (${audienceFinding}): tokens ${builtIn.name} mints for any app are accepted`,
        `add StringEquals ${audienceFinding} with your app's ${builtIn.principal === 'accounts.google.com' ? 'client id (or the service account\'s unique id)' : 'app id'}`));
    } else {
      reasons.push(reason(ScopeCheck.AUDIENCE, Breadth.BROAD, `Missing::${audienceFinding}`,
        'no audience condition: tokens the issuer mints for any client are accepted', `add StringEquals ${audienceFinding} with the audience the workload requests`));
    }
  } else {
    const b = conditionsBreadth(audiences, (v, like) => (v === '*' || (like && WILD.test(v)) ? Breadth.BROAD : Breadth.NARROW));
    if (b !== Breadth.NARROW) {
      reasons.push(reason(ScopeCheck.AUDIENCE, b, b === Breadth.UNRESOLVED ? `Unresolved::${audienceFinding}` : `Audience::${audiences.flatMap(c => c.values).join(',')}`,
        b === Breadth.UNRESOLVED ? 'the audience is only known at deploy time' : 'the audience is * or a pattern: tokens minted for other clients are accepted',
        'give the exact audience the workload requests, e.g. sts.amazonaws.com'));
    }
  }
  if (builtIn) {
    // The user id (and Google's oaud) only narrow further: the app id decides.
    const users = s.conditions.filter(c => c.key.toLowerCase() === builtIn.subject && /^String(Equals|EqualsIgnoreCase|Like)$/.test(c.operator) && c.values.length > 0);
    const others = s.conditions.filter(c => builtIn.others.includes(c.key.toLowerCase()) && /^String(Equals|EqualsIgnoreCase|Like)$/.test(c.operator) && c.values.length > 0);
    pinnedBy.push(...users, ...others);
    const subjects: SubjectEntry[] = users.flatMap(c => c.values.map(v => ({
      key: c.key, value: v, like: isLikeOperator(c.operator), breadth: Breadth.NARROW,
    })));
    return way(WayKind.OIDC, value, assumes, reasons, pinnedBy, { issuer: value, subjects });
  }

  // The subject: blocks under two operators must both match (AND).
  const subBlocks = s.conditions.filter(c => keyOf('sub')(c) && /^(String(Equals|EqualsIgnoreCase|Like)|ForAnyValue:String(Equals|Like))$/.test(c.operator) && c.values.length > 0);
  const subjectValues = subBlocks.flatMap(c => c.values);
  const family = familyOf(issuer, subjectValues);
  const subjects: SubjectEntry[] = [];
  let subjectBreadthAll: Breadth | undefined;
  let deciding: ScopeReason[] = [];
  for (const block of subBlocks) {
    const like = isLikeOperator(block.operator);
    let widestInBlock = Breadth.NARROW;
    const blockReasons: ScopeReason[] = [];
    for (const v of block.values) {
      const r = subjectBreadth(issuer, v, like);
      const entryReason = r.breadth === Breadth.NARROW ? undefined
        : reason(ScopeCheck.SUBJECT, r.breadth, r.breadth === Breadth.UNRESOLVED ? `Unresolved::${block.key}` : `Subject::${v}`,
          r.breadth === Breadth.UNRESOLVED ? r.why! : `the subject ${v}: ${r.why ?? 'reaches further than one workload'}`, r.fix ?? 'name the workload exactly');
      subjects.push({ key: block.key, value: v, like, breadth: r.breadth, ...(entryReason ? { reason: entryReason } : {}) });
      if (r.breadth > widestInBlock) {
        widestInBlock = r.breadth;
        blockReasons.length = 0;
      }
      if (entryReason && r.breadth === widestInBlock) blockReasons.push(entryReason);
    }
    if (subjectBreadthAll === undefined || widestInBlock < subjectBreadthAll) {
      subjectBreadthAll = widestInBlock;
      deciding = blockReasons;
    }
  }
  pinnedBy.push(...subBlocks);
  if (subjectBreadthAll === undefined) {
    if (s.opaque.length > 0) {
      deciding = [reason(ScopeCheck.SUBJECT, Breadth.UNRESOLVED, s.opaque.map(o => `Unresolved::${o}`).join(','), 'the subject condition is only known at deploy time', 'check the deployed value')];
      subjectBreadthAll = Breadth.UNRESOLVED;
    } else {
      subjectBreadthAll = family.withoutSubject;
      if (subjectBreadthAll !== Breadth.NARROW) {
        deciding = [reason(ScopeCheck.SUBJECT, subjectBreadthAll, `Missing::${issuerLabel}:sub`,
          family.subjectRequiredByIam ? 'no subject condition; IAM refuses such a GitHub trust' : `no subject condition: every workload ${subjectBreadthAll === Breadth.OWNER_WIDE ? `of the ${family.tenant} the issuer names` : 'of the issuer'} gets in`,
          `add a ${issuerLabel}:sub condition naming the workload`)];
      }
    }
  }
  // Other claims can pin the tenant where the subject does not (GitHub's repository and owner claims).
  if (family === GITHUB && subjectBreadthAll > Breadth.NARROW && subjectBreadthAll !== Breadth.INVALID) {
    for (const [re, b] of GITHUB_TENANT_CLAIMS) {
      const cs = s.conditions.filter(c => re.test(c.key) && (!issuer || c.key.toLowerCase().startsWith(issuer.toLowerCase() + ':')) && isNarrowingOperator(c.operator) && !/^For/.test(c.operator) && c.values.length > 0);
      if (cs.length === 0) continue;
      const claimBreadth = Math.max(b, conditionsBreadth(cs, (v, like) => (like && WILD.test(v) ? Breadth.BROAD : Breadth.NARROW)));
      if (claimBreadth < subjectBreadthAll) {
        pinnedBy.push(...cs);
        subjectBreadthAll = claimBreadth;
        deciding = claimBreadth === Breadth.NARROW ? [] : [reason(ScopeCheck.SUBJECT, claimBreadth, `Claim::${cs[0].key}`,
          `every repository of the owner the ${cs[0].key.split(':').pop()} claim names`, 'pin the repository with repo:OWNER/REPO')];
      }
    }
  }
  reasons.push(...deciding);
  return way(family.kind, value, assumes, reasons, pinnedBy, { ...(issuer ? { issuer } : {}), subjects });
}
