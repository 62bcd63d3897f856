import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GitLabOidcProvider, IGitLabOidcProvider } from './gitlab-oidc-provider';
import { GitLabSubject } from './gitlab-subject';
import { fail, siteOf } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { hasLiteralWildcard } from '../core/token-text';
import { TrustStatement } from '../core/trust-policy';
import { ScopeCheck } from '../core/trust-scope';
import { quote, validateLength } from '../core/validation';
import { WARNING } from '../core/warnings';
import { addWebIdentityStatement, subjectCondition, validateProviderAccount } from '../core/web-identity';

/** Properties for a {@link GitLabCiRole}. */
export interface GitLabCiRoleProps extends PatternRoleProps {
  /** The jobs that may assume the role: projects with a branch or tag. At least one. */
  readonly subjects: GitLabSubject[];

  /**
   * The account's GitLab OIDC provider.
   *
   * @default - the gitlab.com provider of the role's account, imported by ARN
   *   (`GitLabOidcProvider.fromAccount`); it must exist when the role is deployed
   */
  readonly provider?: IGitLabOidcProvider;

  /**
   * The audience jobs request in `id_tokens.<name>.aud` (`<issuer>:aud`, StringEquals).
   * An exact value: `*` and `?` are refused.
   *
   * @default - the provider's instance URL, e.g. `https://gitlab.com`
   */
  readonly audience?: string;
}

/**
 * A role that GitLab CI/CD jobs assume with their ID token
 * (`sts:AssumeRoleWithWebIdentity`), scoped to exact projects and branches or tags.
 *
 * GitLab puts only the project path, ref type and ref in `sub`; environments and
 * protected refs are not in it, and AWS offers no condition keys for GitLab's other
 * claims. Scope deployment roles to protected branches or tags, and protect those in
 * GitLab.
 *
 * @example
 * new GitLabCiRole(this, 'Deploy', {
 *   subjects: [GitLabSubject.branch('acme/platform/api', 'main')],
 * });
 */
export class GitLabCiRole extends PatternRole {
  /** The OIDC provider the role trusts. */
  public readonly provider: IGitLabOidcProvider;

  private readonly statement: TrustStatement;

  constructor(scope: Construct, id: string, props: GitLabCiRoleProps) {
    const site = patternRoleSite('GitLabCiRole', scope, id, props);
    if (!props.subjects || (!Token.isUnresolved(props.subjects) && props.subjects.length === 0)) {
      fail(site, 'subjects', 'no subject is given, so no job could assume the role',
        'name the jobs, e.g. [GitLabSubject.branch(\'acme/api\', \'main\')]');
    }
    props.subjects.forEach(s => s._validate(site, 'subjects'));
    if (props.audience !== undefined) {
      validateLength(site, 'audience', props.audience, 1, 255);
      if (hasLiteralWildcard(props.audience)) {
        fail(site, 'audience', `${quote(props.audience)} has a wildcard, but the audience is an exact value (StringEquals), never a pattern`,
          'give the exact audience the jobs request in id_tokens.<name>.aud, e.g. \'https://gitlab.com\'');
      }
    }
    super(scope, id, 'GitLabCiRole', props);

    this.provider = props.provider ?? GitLabOidcProvider.fromAccount(this, 'Provider');
    validateProviderAccount(site, 'provider', this, this.provider.oidcProviderArn);
    this.statement = addWebIdentityStatement(this.trust, {
      providerArn: this.provider.oidcProviderArn,
      issuer: this.provider.issuer,
      audiences: [props.audience ?? this.provider.url],
      subjects: props.subjects.map(s => s.value),
    });
    this.warnBroad(props.subjects);
  }

  /** Lets more jobs assume the role; subjects merge into the existing `sub` condition. */
  public addSubjects(...subjects: GitLabSubject[]): void {
    const site = siteOf('GitLabCiRole', this);
    subjects.forEach(s => s._validate(site, 'subjects'));
    this.statement.addConditions(subjectCondition(this.provider.issuer, subjects.map(s => s.value)));
    this.warnBroad(subjects);
  }

  private warnBroad(subjects: GitLabSubject[]): void {
    for (const s of subjects.filter(x => x._broad)) {
      this._warnOwnerWide(ScopeCheck.SUBJECT, WARNING.gitlabGroup,
        `'${s.value}' trusts every project of the group and its subgroups, including ones created later.`);
    }
  }
}
