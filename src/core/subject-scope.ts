/**
 * How far the `sub` condition value of a web-identity trust reaches: shared by the nag
 * rules and the access map. Values may hold markers for parts only known at deploy time,
 * written `{token}` or `{AWS::<Name>}`.
 */

/** How far a `sub` condition value reaches. Ordered from narrowest to widest. */
export enum SubjectScope {
  /** One repository / project / service account (any refs of it). */
  SCOPED = 0,
  /** Every repository of an owner, project of a group, or service account of a namespace. */
  OWNER_WIDE = 1,
  /** The value contains a part only known at deploy time that decides the verdict. */
  UNRESOLVED = 2,
  /** Any subject of the issuer, or a wildcard before the repository / project / service-account name. */
  UNSCOPED = 3,
}

const WILDCARD = /[*?]/;
const MARKER = /\{(token|AWS::[A-Za-z]+)\}/;

/**
 * The scope of one subject value. A part only known at deploy time is read both as a
 * plain name and as `*`: when the two readings disagree, the value is UNRESOLVED.
 */
export function valueScope(key: string, value: string, like: boolean): SubjectScope {
  if (!MARKER.test(value)) return literalScope(key, value, like);
  const optimistic = literalScope(key, value.replace(/\{[^}]*\}/g, 'x'), like);
  const pessimistic = literalScope(key, value.replace(/\{[^}]*\}/g, '*'), like);
  return optimistic === pessimistic ? optimistic : SubjectScope.UNRESOLVED;
}

function literalScope(key: string, value: string, like: boolean): SubjectScope {
  if (value === '*') return SubjectScope.UNSCOPED;
  if (!like) return SubjectScope.SCOPED;
  if (/^[*?]/.test(value)) return SubjectScope.UNSCOPED;
  const issuer = key.replace(/:sub$/i, '').toLowerCase();
  if (value.startsWith('repo:') || issuer.startsWith('token.actions.githubusercontent.com')) return githubScope(value);
  if (value.startsWith('project_path:')) return gitlabScope(value);
  if (value.startsWith('system:serviceaccount:') || /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//.test(issuer)) return eksScope(value);
  return SubjectScope.SCOPED;
}

/** `repo:OWNER/REPO:...`: a wildcard in the owner is unscoped, in the repository owner-wide. */
function githubScope(value: string): SubjectScope {
  if (!value.startsWith('repo:')) return WILDCARD.test(value.split(':')[0]) ? SubjectScope.UNSCOPED : SubjectScope.SCOPED;
  const rest = value.slice('repo:'.length);
  const slash = rest.indexOf('/');
  const owner = slash < 0 ? rest : rest.slice(0, slash);
  if (WILDCARD.test(owner)) return SubjectScope.UNSCOPED;
  if (slash < 0) return SubjectScope.SCOPED;
  const repository = rest.slice(slash + 1).split(':')[0];
  return WILDCARD.test(repository) || repository === '' ? SubjectScope.OWNER_WIDE : SubjectScope.SCOPED;
}

/** `project_path:GROUP/SUB/PROJECT:...`: a wildcard in the top-level group is unscoped, below it owner-wide. */
function gitlabScope(value: string): SubjectScope {
  const path = value.slice('project_path:'.length).split(':')[0];
  const segments = path.split('/');
  if (WILDCARD.test(segments[0]) || segments[0] === '') return SubjectScope.UNSCOPED;
  return segments.slice(1).some(s => WILDCARD.test(s)) ? SubjectScope.OWNER_WIDE : SubjectScope.SCOPED;
}

/** `system:serviceaccount:NAMESPACE:NAME`: a wildcard in the namespace is unscoped, in the name namespace-wide. */
function eksScope(value: string): SubjectScope {
  if (!value.startsWith('system:serviceaccount:')) return WILDCARD.test(value) ? SubjectScope.UNSCOPED : SubjectScope.SCOPED;
  const rest = value.slice('system:serviceaccount:'.length);
  const colon = rest.indexOf(':');
  const namespace = colon < 0 ? rest : rest.slice(0, colon);
  if (WILDCARD.test(namespace)) return SubjectScope.UNSCOPED;
  if (colon < 0) return SubjectScope.SCOPED;
  return WILDCARD.test(rest.slice(colon + 1)) ? SubjectScope.OWNER_WIDE : SubjectScope.SCOPED;
}

