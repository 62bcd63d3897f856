/** The kinds of ways in (part of the public API through the access map). */
/**
 * How a principal gets into a role, by the shape of the trust policy statement.
 */
export enum AccessMapKind {
  /** Principals of one AWS account (`arn:aws:iam::<account>:root`). */
  AWS_ACCOUNT = 'aws-account',
  /** One IAM role, user or session of an AWS account. */
  AWS_PRINCIPAL = 'aws-principal',
  /** Any principal of an AWS Organization (`"AWS": "*"` with `aws:PrincipalOrgID`). */
  ORGANIZATION = 'organization',
  /** Any AWS principal at all (`"AWS": "*"` or `"Principal": "*"` without an organization condition). */
  ANY_PRINCIPAL = 'any-principal',
  /** An AWS service principal, e.g. `lambda.amazonaws.com`. */
  SERVICE = 'service',
  /** GitHub Actions jobs, through the `token.actions.githubusercontent.com` OIDC provider. */
  GITHUB_ACTIONS = 'github-actions',
  /** GitLab CI/CD jobs, through a GitLab OIDC provider. */
  GITLAB_CI = 'gitlab-ci',
  /** Kubernetes service accounts of an EKS cluster, through its OIDC issuer (IRSA). */
  EKS_SERVICE_ACCOUNT = 'eks-service-account',
  /** Kubernetes service accounts of an EKS cluster, through EKS Pod Identity. */
  EKS_POD_IDENTITY = 'eks-pod-identity',
  /** X.509 certificates, through IAM Roles Anywhere. */
  ROLES_ANYWHERE = 'roles-anywhere',
  /** Identities of an Amazon Cognito identity pool. */
  COGNITO = 'cognito',
  /** Tokens of any other OIDC issuer. */
  OIDC = 'oidc',
  /** Users of a SAML 2.0 identity provider. */
  SAML = 'saml',
  /** A statement or principal only known at deploy time (`Fn::If`, a parameter); read as broad. */
  UNRESOLVED = 'unresolved',
}
