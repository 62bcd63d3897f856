/**
 * The request `explain` evaluates, built from what a user has at hand when a call was
 * refused: a token's claims, the CloudTrail record of the call, or a principal and the
 * context keys of the request.
 */

/** One call to STS, as the trust policy sees it. */
export interface AssumeCall {
  /** The STS action, e.g. `sts:AssumeRoleWithWebIdentity`. */
  readonly action: string;
  /** The caller: an IAM ARN, an OIDC or SAML provider ARN, a built-in provider or a service principal. */
  readonly principal: string;
  /** The request's context keys (claims as `<issuer>:<claim>`, `sts:ExternalId`, `aws:RequestTag/...`). */
  readonly context: Record<string, string | string[]>;
  /**
   * Further actions the call needs the trust to allow: `sts:TagSession` when it passes
   * session tags, `sts:SetSourceIdentity` when it sets a source identity.
   */
  readonly also: string[];
  /** The role the record names (`requestParameters.roleArn`), when built from a CloudTrail record. */
  readonly roleArn?: string;
}

/** Bad input: the command exits with 2. */
export class ExplainInputError extends Error {}

/** Built-in web identity providers: the principal is the issuer's name, not a provider ARN. */
const BUILT_IN = new Set(['cognito-identity.amazonaws.com', 'accounts.google.com', 'graph.facebook.com', 'www.amazon.com']);

/** The action a principal calls: web identity for OIDC providers, SAML for SAML providers, AssumeRole otherwise. */
export function actionFor(principal: string): string {
  if (/^arn:[^:]+:iam::[^:]*:oidc-provider\//.test(principal) || BUILT_IN.has(principal)) return 'sts:AssumeRoleWithWebIdentity';
  if (/^arn:[^:]+:iam::[^:]*:saml-provider\//.test(principal)) return 'sts:AssumeRoleWithSAML';
  return 'sts:AssumeRole';
}

/**
 * A principal and the context of the request (`--principal ARN --context k=v`). IAM sets
 * `aws:PrincipalArn` (a session's role) and `aws:PrincipalAccount` for an IAM caller; they
 * are added unless given. Session tags (`aws:RequestTag/...`) need `sts:TagSession`, a
 * source identity `sts:SetSourceIdentity`.
 */
export function fromPrincipal(principal: string, context: Record<string, string | string[]>, action?: string): AssumeCall {
  const full: Record<string, string | string[]> = { ...context };
  const has = (key: string) => Object.keys(full).some(k => k.toLowerCase() === key.toLowerCase());
  const iam = /^arn:([^:]+):(iam|sts)::(\d{12}):(.+)$/.exec(principal);
  if (iam) {
    const session = /^assumed-role\/([^/]+)\//.exec(iam[4]);
    if (!has('aws:PrincipalArn')) full['aws:PrincipalArn'] = session ? `arn:${iam[1]}:iam::${iam[3]}:role/${session[1]}` : principal;
    if (!has('aws:PrincipalAccount')) full['aws:PrincipalAccount'] = iam[3];
  }
  const keys = Object.keys(full).map(k => k.toLowerCase());
  const also = [
    ...keys.some(k => k.startsWith('aws:requesttag/')) ? ['sts:TagSession'] : [],
    ...keys.includes('sts:sourceidentity') ? ['sts:SetSourceIdentity'] : [],
  ];
  return { action: action ?? actionFor(principal), principal, context: full, also };
}

/** `k=v` pairs; a key given twice becomes a list (a multivalued key such as `amr`). */
export function parseContext(pairs: string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new ExplainInputError(`--context takes KEY=VALUE, not '${pair}'`);
    const key = pair.slice(0, i);
    const value = pair.slice(i + 1);
    const prior = out[key];
    out[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return out;
}

/**
 * A token's claims (the decoded JWT payload). The principal is the OIDC provider of the
 * issuer in the role's account (STS looks the provider up there); each claim becomes the
 * context key `<issuer host and path>:<claim>`; the session tags of the
 * `https://aws.amazon.com/tags` claim become `aws:RequestTag/...` and need `sts:TagSession`.
 */
export function fromClaims(claims: any, roleAccount: string, partition: string): AssumeCall {
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new ExplainInputError('the claims must be a JSON object (the decoded token payload)');
  if (typeof claims.iss !== 'string' || claims.iss === '') throw new ExplainInputError('the claims have no issuer (iss)');
  const host = claims.iss.replace(/^https:\/\//, '').replace(/\/+$/, '');
  const principal = BUILT_IN.has(host) ? host : `arn:${partition}:iam::${roleAccount}:oidc-provider/${host}`;
  const context: Record<string, string | string[]> = {};
  const also: string[] = [];
  for (const [claim, value] of Object.entries<any>(claims)) {
    if (claim === 'iss') continue;
    if (claim === 'https://aws.amazon.com/tags') {
      for (const [tag, tagValue] of Object.entries<any>(value?.principal_tags ?? {})) {
        context[`aws:RequestTag/${tag}`] = Array.isArray(tagValue) ? String(tagValue[0]) : String(tagValue);
      }
      if (Object.keys(value?.principal_tags ?? {}).length > 0) also.push('sts:TagSession');
      continue;
    }
    const text = scalar(value);
    if (text !== undefined) context[`${host}:${claim}`] = text;
  }
  // A token with several audiences is matched on its authorized party (azp).
  if (Array.isArray(claims.aud) && typeof claims.azp === 'string') context[`${host}:aud`] = claims.azp;
  return { action: 'sts:AssumeRoleWithWebIdentity', principal, context, also };
}

function scalar(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every(v => typeof v === 'string')) return value;
  return undefined;
}

/**
 * The CloudTrail record of an `AssumeRole`, `AssumeRoleWithWebIdentity` or
 * `AssumeRoleWithSAML` call (or a file of `Records` holding one). What the record does not
 * carry (most token claims, SAML attributes) is absent: pass it with `--context`.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export function fromEvent(file: any, roleAccount: (roleArn?: string) => string, partition: string): AssumeCall {
  const records = Array.isArray(file?.Records) ? file.Records : [file];
  const sts = records.filter((r: any) => /^AssumeRole(WithWebIdentity|WithSAML)?$/.test(r?.eventName ?? ''));
  if (sts.length !== 1) {
    throw new ExplainInputError(`the event file must hold one AssumeRole, AssumeRoleWithWebIdentity or AssumeRoleWithSAML record, not ${sts.length}`);
  }
  const event = sts[0];
  const id = event.userIdentity ?? {};
  const params = event.requestParameters ?? {};
  const roleArn = typeof params.roleArn === 'string' ? params.roleArn : undefined;
  const context: Record<string, string | string[]> = {};
  if (event.sourceIPAddress && /^[\d.]+$/.test(event.sourceIPAddress)) context['aws:SourceIp'] = event.sourceIPAddress;
  if (event.eventName === 'AssumeRoleWithWebIdentity') {
    const provider = String(id.identityProvider ?? '');
    if (provider === '') throw new ExplainInputError('the record has no userIdentity.identityProvider');
    const host = provider.replace(/^arn:[^:]+:iam::[^:]*:oidc-provider\//, '');
    const principal = provider.startsWith('arn:') || BUILT_IN.has(host) ? provider : `arn:${partition}:iam::${roleAccount(roleArn)}:oidc-provider/${host}`;
    const sub = typeof id.userName === 'string' ? id.userName : undefined;
    if (sub !== undefined) context[`${host}:sub`] = sub;
    // principalId is `<issuer>:<audience>:<subject>`.
    const principalId = String(id.principalId ?? '');
    const prefix = [provider, host].find(p => principalId.startsWith(`${p}:`));
    if (prefix && sub !== undefined && principalId.endsWith(`:${sub}`)) {
      context[`${host}:aud`] = principalId.slice(prefix.length + 1, principalId.length - sub.length - 1);
    }
    return withTags(context, params, { action: 'sts:AssumeRoleWithWebIdentity', principal, roleArn });
  }
  if (event.eventName === 'AssumeRoleWithSAML') {
    const principal = String(params.principalArn ?? '');
    if (principal === '') throw new ExplainInputError('the record has no requestParameters.principalArn (the SAML provider)');
    if (typeof id.userName === 'string') context['SAML:sub'] = id.userName;
    return withTags(context, params, { action: 'sts:AssumeRoleWithSAML', principal, roleArn });
  }
  // AssumeRole: an IAM role session, a user, or a service.
  let principal: string;
  if (id.type === 'AWSService') {
    principal = String(id.invokedBy ?? '');
  } else {
    principal = String(id.arn ?? '');
    const issuer = id.sessionContext?.sessionIssuer?.arn;
    if (typeof issuer === 'string') context['aws:PrincipalArn'] = issuer;
    if (id.sessionContext?.attributes?.mfaAuthenticated !== undefined) context['aws:MultiFactorAuthPresent'] = String(id.sessionContext.attributes.mfaAuthenticated);
  }
  if (principal === '') throw new ExplainInputError('the record names no caller (userIdentity.arn or userIdentity.invokedBy)');
  if (params.serialNumber !== undefined && params.tokenCode !== undefined) context['aws:MultiFactorAuthPresent'] = 'true';
  if (typeof params.externalId === 'string') context['sts:ExternalId'] = params.externalId;
  if (typeof params.roleSessionName === 'string') context['sts:RoleSessionName'] = params.roleSessionName;
  if (typeof id.accountId === 'string' && id.type !== 'AWSService') context['aws:PrincipalAccount'] = id.accountId;
  return withTags(context, params, { action: 'sts:AssumeRole', principal, roleArn });
}

/** Session tags and the source identity of the request, and the actions they need. */
function withTags(
  context: Record<string, string | string[]>, params: any, call: { action: string; principal: string; roleArn?: string },
): AssumeCall {
  const also: string[] = [];
  const tags: any[] = Array.isArray(params.tags) ? params.tags : [];
  for (const t of tags) context[`aws:RequestTag/${t.key ?? t.Key}`] = String(t.value ?? t.Value);
  if (tags.length > 0) {
    context['aws:TagKeys'] = tags.map(t => String(t.key ?? t.Key));
    also.push('sts:TagSession');
  }
  if (typeof params.sourceIdentity === 'string') {
    context['sts:SourceIdentity'] = params.sourceIdentity;
    also.push('sts:SetSourceIdentity');
  }
  const base = fromPrincipal(call.principal, context, call.action);
  return { ...base, also: [...new Set([...base.also, ...also])], ...(call.roleArn ? { roleArn: call.roleArn } : {}) };
}
