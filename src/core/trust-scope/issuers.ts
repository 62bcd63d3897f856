/** OIDC issuer families: which claim of a subject pins the tenant and which the workload (part of the one definition of a narrow trust: see `index.ts`). */
import { valueBreadth } from './conditions';
import { Breadth, WayKind } from './model';
import { isDeployTime } from '../trust-reader';

/** An OIDC issuer family: which claim of the subject pins the tenant and which the workload. */
export interface IssuerFamily {
  readonly kind: WayKind;
  /** The tenant word for messages: `owner`, `group`, `organization`. */
  readonly tenant: string;
  /** Whether IAM refuses a trust of this issuer without a subject (GitHub). */
  readonly subjectRequiredByIam?: boolean;
  /** The breadth when no subject is pinned at all (the issuer itself may pin the tenant). */
  readonly withoutSubject: Breadth;
  /** The breadth of one subject value and why. */
  classify(value: string, like: boolean): { breadth: Breadth; why?: string; fix?: string };
}

export const WILD = /[*?]/;

/** The first `claim:value` pair of a subject. */
function firstClaim(value: string): { claim: string; value: string; rest: string } | undefined {
  const m = /^([^:]*):([^:]*)(.*)$/.exec(value);
  return m ? { claim: m[1], value: m[2], rest: m[3] } : undefined;
}

/**
 * A `owner/name` value: a wildcard in the owner admits other owners (broad), in the name
 * every repository of the owner (owner-wide). `owner@id` is GitHub's immutable form: the
 * name cannot contain `@`, so `owner@*` still pins the owner's name.
 */
function ownerPath(path: string, like: boolean, what: string): { breadth: Breadth; why?: string; fix?: string } {
  const slash = path.indexOf('/');
  const owner = slash < 0 ? path : path.slice(0, slash);
  const [ownerName, ownerId] = owner.split('@');
  if (!like) return { breadth: Breadth.NARROW };
  if (ownerName === '' || WILD.test(ownerName)) {
    return { breadth: Breadth.BROAD, why: `a wildcard in the ${what} owner matches other owners' ${what}s`, fix: 'name the owner exactly' };
  }
  if (slash < 0) {
    return ownerId !== undefined && WILD.test(ownerId)
      ? { breadth: Breadth.OWNER_WIDE, why: `every ${what} of ${ownerName}, and of whoever holds the name ${ownerName} after a rename (the owner id is a wildcard)`, fix: 'give the owner id' }
      : { breadth: Breadth.NARROW };
  }
  const name = path.slice(slash + 1);
  if (ownerId !== undefined && WILD.test(ownerId)) {
    return { breadth: Breadth.OWNER_WIDE, why: `every ${what} of ${ownerName}, and of whoever holds the name ${ownerName} after a rename (the owner id is a wildcard)`, fix: `name the ${what} and give the owner id` };
  }
  if (name === '' || WILD.test(name.split('@')[0])) {
    return { breadth: Breadth.OWNER_WIDE, why: `every ${what} of ${ownerName}, including ones created later`, fix: `name each ${what}` };
  }
  return { breadth: Breadth.NARROW };
}

export const GITHUB: IssuerFamily = {
  kind: WayKind.GITHUB_ACTIONS,
  tenant: 'owner',
  subjectRequiredByIam: true,
  withoutSubject: Breadth.INVALID,
  classify(value, like) {
    if (value === '*' || (like && /^[*?]+$/.test(value))) {
      return { breadth: Breadth.INVALID, why: 'IAM refuses a GitHub trust whose subject is *', fix: 'name the repository: repo:OWNER/REPO:...' };
    }
    const first = firstClaim(value);
    if (!first || (like && WILD.test(first.claim))) {
      return { breadth: Breadth.BROAD, why: 'the subject does not start with a claim that names the repository or owner', fix: 'start the subject with repo:OWNER/REPO' };
    }
    switch (first.claim) {
      case 'repo':
      case 'repository':
        return ownerPath(value.slice(first.claim.length + 1).split(':')[0], like, 'repository');
      case 'repository_id':
        return like && WILD.test(first.value) ? { breadth: Breadth.BROAD, why: 'the repository id is a pattern', fix: 'give the repository id exactly' } : { breadth: Breadth.NARROW };
      case 'repository_owner':
      case 'repository_owner_id':
        return like && WILD.test(first.value)
          ? { breadth: Breadth.BROAD, why: `the ${first.claim} is a pattern: other owners' repositories get in`, fix: 'name the owner exactly' }
          : { breadth: Breadth.OWNER_WIDE, why: `every repository of ${first.value}, including repositories created later`, fix: 'start the subject with repo:OWNER/REPO' };
      default:
        return {
          breadth: Breadth.BROAD,
          why: `the subject starts with the ${first.claim} claim, and any repository admin can make their own tokens' subject start the same way (OIDC subject customization)`,
          fix: 'start the subject with repo:OWNER/REPO (include_claim_keys: ["repo", ...])',
        };
    }
  },
};

const GITLAB: IssuerFamily = {
  kind: WayKind.GITLAB_CI,
  tenant: 'group',
  withoutSubject: Breadth.BROAD,
  classify(value, like) {
    const first = firstClaim(value);
    if (!first || (like && WILD.test(first.claim)) || value === '*') {
      return { breadth: Breadth.BROAD, why: 'the subject does not start with project_path', fix: 'start the subject with project_path:GROUP/PROJECT' };
    }
    if (first.claim !== 'project_path') {
      return {
        breadth: Breadth.BROAD,
        why: `the subject starts with the ${first.claim} claim, and any project can put its claims in that order (ci_id_token_sub_claim_components)`,
        fix: 'start the subject with project_path:GROUP/PROJECT',
      };
    }
    if (!like) return { breadth: Breadth.NARROW };
    const segments = first.value.split('/');
    if (segments[0] === '' || WILD.test(segments[0])) return { breadth: Breadth.BROAD, why: 'a wildcard in the top-level group matches other groups\' projects', fix: 'name the group exactly' };
    if (segments.length === 1 || segments.slice(1).some(x => WILD.test(x) || x === '')) {
      return { breadth: Breadth.OWNER_WIDE, why: `every project of ${segments[0]}, including projects created later`, fix: 'name the projects' };
    }
    return { breadth: Breadth.NARROW };
  },
};

const EKS: IssuerFamily = {
  kind: WayKind.EKS_SERVICE_ACCOUNT,
  tenant: 'namespace',
  withoutSubject: Breadth.BROAD,
  classify(value, like) {
    if (!value.startsWith('system:serviceaccount:')) {
      return like && WILD.test(value)
        ? { breadth: Breadth.BROAD, why: 'the subject matches service accounts of any namespace', fix: 'give system:serviceaccount:NAMESPACE:NAME' }
        : { breadth: Breadth.NARROW };
    }
    if (!like) return { breadth: Breadth.NARROW };
    const rest = value.slice('system:serviceaccount:'.length);
    const colon = rest.indexOf(':');
    const namespace = colon < 0 ? rest : rest.slice(0, colon);
    if (namespace === '' || WILD.test(namespace)) return { breadth: Breadth.BROAD, why: 'a wildcard in the namespace matches service accounts of other namespaces', fix: 'name the namespace exactly' };
    if (colon < 0 || WILD.test(rest.slice(colon + 1))) {
      return { breadth: Breadth.OWNER_WIDE, why: `every service account of namespace ${namespace}, including ones created later`, fix: 'name the service accounts' };
    }
    return { breadth: Breadth.NARROW };
  },
};

/**
 * A subject whose first claim names the tenant (`organization:ORG:...`): Terraform Cloud,
 * Buildkite. The claims in `workload` (tenant first) name one workload: a wildcard in them
 * reaches every matching workload of the tenant; after them it stays within one workload
 * (a Buildkite commit, a Terraform run phase).
 */
function tenantClaimFamily(tenant: string, workload: string[]): IssuerFamily {
  const claim = workload[0];
  return {
    kind: WayKind.OIDC,
    tenant,
    withoutSubject: Breadth.BROAD,
    classify(value, like) {
      const first = firstClaim(value);
      if (!first || first.claim !== claim || (like && WILD.test(first.claim))) {
        return { breadth: Breadth.BROAD, why: `the subject does not start with ${claim}:<${tenant}>, so other ${tenant}s' workloads can match`, fix: `start the subject with ${claim}:<${tenant}>:` };
      }
      if (!like) return { breadth: Breadth.NARROW };
      if (first.value === '' || WILD.test(first.value)) {
        return { breadth: Breadth.BROAD, why: `a wildcard in the ${tenant} matches other ${tenant}s' workloads`, fix: `name the ${tenant} exactly` };
      }
      // The pairs after the tenant, up to the last claim that names the workload.
      const parts = value.split(':');
      for (let i = 1; i < workload.length; i++) {
        const key = parts[2 * i];
        const name = parts[2 * i + 1];
        if (key === workload[i] && name !== undefined && !WILD.test(name)) continue;
        return { breadth: Breadth.OWNER_WIDE, why: `every matching workload of ${tenant} ${first.value}`, fix: `name the ${workload.slice(1).join(' and ')} exactly` };
      }
      return { breadth: Breadth.NARROW };
    },
  };
}

/** The issuer itself names the tenant (CircleCI's organization, Bitbucket's workspace). */
function issuerTenantFamily(tenant: string, narrowPattern: RegExp): IssuerFamily {
  return {
    kind: WayKind.OIDC,
    tenant,
    withoutSubject: Breadth.OWNER_WIDE,
    classify(value, like) {
      if (!like || !WILD.test(value) || narrowPattern.test(value)) return { breadth: Breadth.NARROW };
      return { breadth: Breadth.OWNER_WIDE, why: `every matching workload of the ${tenant} the issuer names`, fix: 'name the workload exactly' };
    },
  };
}

const UNKNOWN_ISSUER: IssuerFamily = {
  kind: WayKind.OIDC,
  tenant: 'tenant',
  withoutSubject: Breadth.BROAD,
  classify(value, like) {
    if (value === '*' || (like && /^[*?]/.test(value))) return { breadth: Breadth.BROAD, why: 'the subject matches every workload of the issuer', fix: 'name the subject' };
    return { breadth: Breadth.NARROW };
  },
};

/** The issuer families, by issuer (host and path). */
const ISSUERS: Array<[RegExp, IssuerFamily]> = [
  [/^token\.actions\.githubusercontent\.com(\/[^/]+)?$/, GITHUB],
  [/^gitlab\.com$/, GITLAB],
  [/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]+$|^⟨issuer of EKS cluster /, EKS],
  [/^app\.terraform\.io$/, tenantClaimFamily('organization', ['organization', 'project', 'workspace'])],
  [/^agent\.buildkite\.com$/, tenantClaimFamily('organization', ['organization', 'pipeline'])],
  // CircleCI's issuer names the organization; a pattern after a written-out project stays within the project.
  [/^oidc\.circleci\.com\/org\/[^/*?]+$/, issuerTenantFamily('organization', /^org\/[^*?/]+\/project\/[^*?/]+\//)],
  // Bitbucket's issuer names the workspace; a pattern after a written-out repository uuid stays within the repository.
  [/^api\.bitbucket\.org\/2\.0\/workspaces\/[^/*?]+\/pipelines-config\/identity\/oidc$/, issuerTenantFamily('workspace', /^\{[^{}*?]+\}/)],
  // Microsoft Entra ID: the issuer names the tenant (v1.0 tokens `sts.windows.net/<tenant>/`, v2.0 `login.microsoftonline.com/<tenant>/v2.0`);
  // the subject is one identity's object id, so any pattern reaches further identities of the tenant.
  [/^sts\.windows\.net\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/$|^login\.microsoftonline\.com\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/v2\.0$/i, issuerTenantFamily('tenant', /(?!)/)],
];

/** The family of an issuer; for an issuer only known at deploy time, guessed from the subjects' first claim. */
const FAMILY_BY_ISSUER = new Map<string, IssuerFamily | undefined>();

export function familyOf(issuer: string | undefined, subjects: string[]): IssuerFamily {
  if (issuer) {
    let known = FAMILY_BY_ISSUER.get(issuer);
    if (known === undefined && !FAMILY_BY_ISSUER.has(issuer)) {
      known = ISSUERS.find(([re]) => re.test(issuer))?.[1];
      if (FAMILY_BY_ISSUER.size < 1000) FAMILY_BY_ISSUER.set(issuer, known);
    }
    if (known) return known;
  }
  const first = subjects[0] ?? '';
  if (first.startsWith('repo:') && (!issuer || isDeployTime(issuer))) return GITHUB;
  if (first.startsWith('project_path:')) return GITLAB;
  if (first.startsWith('system:serviceaccount:')) return EKS;
  return UNKNOWN_ISSUER;
}

/** The breadth of one subject value for an issuer: what construct validation and the nag pack both use. */
export function subjectBreadth(issuer: string | undefined, value: string, like: boolean): { breadth: Breadth; why?: string; fix?: string } {
  const family = familyOf(issuer, [value]);
  let why: string | undefined;
  let fix: string | undefined;
  const breadth = valueBreadth(value, like, (v, l) => {
    const r = family.classify(v, l);
    if (r.why && why === undefined && !isDeployTime(v)) {
      why = r.why;
      fix = r.fix;
    }
    return r.breadth;
  });
  if (breadth === Breadth.UNRESOLVED) return { breadth, why: `part of the subject ${value} is only known at deploy time`, fix: 'check the deployed value' };
  if (breadth === Breadth.NARROW) return { breadth };
  const literal = family.classify(value, like);
  return { breadth, why: why ?? literal.why, fix: fix ?? literal.fix };
}
