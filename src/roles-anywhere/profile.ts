import { CfnOutput, Duration, IResource, Lazy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { Construct } from 'constructs';
import { CertificateField } from './certificate-condition';
import { generatedName, validateRolesAnywhereName } from './private/names';
import { RolesAnywhereRole } from './roles-anywhere-role';
import { ITrustAnchor } from './trust-anchor';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { LONG_SESSION, validateSessionLength, warnLongSession } from '../core/pattern-role';
import { duplicatesOf, quote, validateDuration, validateNoDuplicates } from '../core/validation';

/**
 * Which attributes of one certificate field IAM Roles Anywhere maps to principal tags.
 *
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/attribute-mapping.html
 */
export interface AttributeMapping {
  /** The certificate field. */
  readonly certificateField: CertificateField;

  /**
   * The attributes to map: relative distinguished names such as `CN`, `OU`, `O` (or `*`
   * for all) for the subject and issuer; `DNS`, `URI` or `Name/<RDN>` for subject
   * alternative names.
   */
  readonly specifiers: string[];
}

/** Properties for a {@link RolesAnywhereProfile}. */
export interface RolesAnywhereProfileProps {
  /**
   * The roles workloads may request credentials for through this profile. Each role's
   * trust policy still decides which certificates get in (see {@link RolesAnywhereRole}).
   * More can be added with `addRole()`.
   */
  readonly roles: iam.IRole[];

  /**
   * The profile's name: 1-255 letters, digits, spaces, `-` and `_`.
   *
   * @default - a unique name derived from the construct path
   */
  readonly profileName?: string;

  /**
   * Whether workloads can get credentials through this profile.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long the credentials are valid: 15 minutes to 12 hours. Longer than one hour
   * needs `allowLongSessions`.
   *
   * @default Duration.hours(1)
   * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/authentication-create-session.html
   */
  readonly duration?: Duration;

  /**
   * Allow a `duration` longer than one hour: leaked credentials stay valid as long.
   * Leaves a warning.
   *
   * @default false
   */
  readonly allowLongSessions?: boolean;

  /**
   * A session policy: the credentials get at most what it allows, intersected with the
   * role's own policies.
   *
   * @default - no session policy
   */
  readonly sessionPolicy?: iam.PolicyDocument;

  /**
   * Managed policies that bound the session the same way.
   *
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Require workloads to send instance properties (e.g. host name, instance id) with
   * every credential request; they are recorded with the subject.
   *
   * @default false
   */
  readonly requireInstanceProperties?: boolean;

  /**
   * Let workloads choose the role session name (`--role-session-name`), within the
   * role's trust policy. Otherwise IAM Roles Anywhere names the session after the
   * certificate's serial number.
   *
   * @default false
   */
  readonly acceptRoleSessionName?: boolean;

  /**
   * Custom mappings of certificate attributes to principal tags, per certificate field.
   * A field not listed keeps the service's default mapping. A role's certificate
   * conditions need their attribute mapped: synthesis fails when a role of this profile
   * conditions on an attribute that a mapping here drops.
   *
   * @default - the default mapping: every subject and issuer RDN, the first DNS, URI and directory name SAN
   */
  readonly attributeMappings?: AttributeMapping[];
}

/** Options for {@link RolesAnywhereProfile.credentialProcess}. */
export interface CredentialProcessOptions {
  /** Where the workload keeps its certificate (PEM), as `aws_signing_helper` reads it. */
  readonly certificatePath: string;

  /**
   * Where the workload keeps the certificate's private key, as `aws_signing_helper`
   * reads it: a file path or a PKCS#11 URI.
   */
  readonly privateKeyPath: string;

  /**
   * The role session name to request; needs `acceptRoleSessionName` on the profile.
   *
   * @default - the certificate's serial number
   */
  readonly roleSessionName?: string;

  /**
   * A shorter session than the profile's duration.
   *
   * @default - the profile's duration
   */
  readonly sessionDuration?: Duration;
}

/** An IAM Roles Anywhere profile. */
export interface IRolesAnywhereProfile extends IResource {
  /**
   * The profile's ARN.
   *
   * @attribute
   */
  readonly profileArn: string;

  /**
   * The profile's id.
   *
   * @attribute
   */
  readonly profileId: string;
}

const SPECIFIER = /^(\*|[A-Za-z][A-Za-z0-9.]*|Name(\/(\*|[A-Za-z][A-Za-z0-9.]*))?)$/;

/**
 * An IAM Roles Anywhere profile (`AWS::RolesAnywhere::Profile`): the roles a workload
 * may request credentials for, the session length (one hour by default) and optional
 * session policies that bound those credentials.
 *
 * {@link RolesAnywhereProfile.credentialProcess} writes the `credential_process` line
 * for `~/.aws/config`, and {@link RolesAnywhereProfile.addCredentialProcessOutput}
 * puts it in a stack output when asked.
 *
 * @example
 * const profile = new RolesAnywhereProfile(this, 'Backup', { roles: [role] });
 */
export class RolesAnywhereProfile extends Resource implements IRolesAnywhereProfile {
  /** The profile's ARN. */
  public readonly profileArn: string;

  /** The profile's id. */
  public readonly profileId: string;

  /** The session length of credentials from this profile. */
  public readonly duration: Duration;

  private readonly roles: iam.IRole[] = [];
  private readonly acceptRoleSessionName: boolean;
  private readonly attributeMappings: AttributeMapping[];

  constructor(scope: Construct, id: string, props: RolesAnywhereProfileProps) {
    const site = siteOf('RolesAnywhereProfile', scope, id);
    if (props.profileName !== undefined) validateRolesAnywhereName(site, 'profileName', props.profileName);
    const duration = props.duration ?? LONG_SESSION;
    validateDuration(site, 'duration', duration, Duration.minutes(15), Duration.hours(12));
    validateSessionLength(site, 'duration', duration, props.allowLongSessions);
    if ((props.roles ?? []).length === 0) {
      fail(site, 'roles', 'no role is given', 'list the roles workloads may get credentials for, e.g. a RolesAnywhereRole');
    }
    const mappings = props.attributeMappings ?? [];
    validateAttributeMappings(site, mappings);
    super(scope, id);

    this.duration = duration;
    this.acceptRoleSessionName = props.acceptRoleSessionName ?? false;
    this.attributeMappings = mappings;
    const stack = Stack.of(this);
    const resource = new rolesanywhere.CfnProfile(this, 'Resource', {
      name: props.profileName ?? generatedName(this),
      enabled: props.enabled ?? true,
      roleArns: Lazy.list({ produce: () => this.roles.map(r => r.roleArn) }),
      durationSeconds: duration.toSeconds(),
      sessionPolicy: props.sessionPolicy ? Lazy.string({ produce: () => stack.toJsonString(props.sessionPolicy) }) : undefined,
      managedPolicyArns: props.managedPolicies ? Lazy.list({ produce: () => props.managedPolicies!.map(p => p.managedPolicyArn) }) : undefined,
      requireInstanceProperties: props.requireInstanceProperties,
      acceptRoleSessionName: props.acceptRoleSessionName,
      attributeMappings: mappings.length > 0
        ? mappings.map(m => ({ certificateField: m.certificateField, mappingRules: m.specifiers.map(specifier => ({ specifier })) }))
        : undefined,
    });
    this.profileArn = resource.attrProfileArn;
    this.profileId = resource.attrProfileId;
    props.roles.forEach(r => this.addRole(r));

    warnLongSession(this, duration, props.allowLongSessions, 'Credentials from this profile');
    this.node.addValidation({ validate: () => this.validateProfile(props.sessionPolicy) });
  }

  /** Lets workloads request credentials for one more role through this profile. */
  public addRole(role: iam.IRole): void {
    if (!this.roles.includes(role)) this.roles.push(role);
  }

  /**
   * The `credential_process` command for `~/.aws/config` that gets credentials for
   * `role` with the workload's certificate through this profile and `trustAnchor`:
   *
   * ```
   * aws_signing_helper credential-process --certificate <path> --private-key <path>
   *   --trust-anchor-arn <anchor ARN> --profile-arn <profile ARN> --role-arn <role ARN>
   * ```
   *
   * The ARNs are tokens until deployment; put the line in a stack output with
   * {@link RolesAnywhereProfile.addCredentialProcessOutput}.
   *
   * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/credential-helper.html
   */
  public credentialProcess(role: iam.IRole, trustAnchor: ITrustAnchor, options: CredentialProcessOptions): string {
    const site = { kind: 'RolesAnywhereProfile', path: `${this.node.path}.credentialProcess` };
    if (!this.roles.includes(role)) {
      fail(site, 'role', `'${role.node.path}' is not a role of this profile`, 'pass one of the profile\'s roles, or add it with addRole()');
    }
    if (role instanceof RolesAnywhereRole && !role.trustAnchors.includes(trustAnchor)) {
      fail(site, 'trustAnchor', `the role '${role.node.path}' does not trust '${trustAnchor.node.path}'`, 'pass one of the role\'s trust anchors');
    }
    for (const [prop, value] of [['certificatePath', options.certificatePath], ['privateKeyPath', options.privateKeyPath]] as const) {
      if (!Token.isUnresolved(value) && (value.trim() === '' || /\s/.test(value))) {
        fail(site, prop, `${quote(value)} is empty or contains whitespace`, 'give a path without spaces (credential_process splits the line at spaces)');
      }
    }
    const args = [
      'aws_signing_helper credential-process',
      `--certificate ${options.certificatePath}`,
      `--private-key ${options.privateKeyPath}`,
      `--trust-anchor-arn ${trustAnchor.trustAnchorArn}`,
      `--profile-arn ${this.profileArn}`,
      `--role-arn ${role.roleArn}`,
    ];
    if (options.roleSessionName !== undefined) {
      if (!this.acceptRoleSessionName) {
        fail(site, 'roleSessionName', 'the profile does not accept role session names', 'set acceptRoleSessionName: true on the profile, or leave roleSessionName out');
      }
      args.push(`--role-session-name ${options.roleSessionName}`);
    }
    if (options.sessionDuration !== undefined) {
      validateDuration(site, 'sessionDuration', options.sessionDuration, Duration.minutes(15), this.duration);
      args.push(`--session-duration ${options.sessionDuration.toSeconds()}`);
    }
    return args.join(' ');
  }

  /**
   * Adds a stack output named `id` holding {@link RolesAnywhereProfile.credentialProcess},
   * to copy into the workload's `~/.aws/config`. The output is created in the profile's
   * stack, so `id` must be unique among the stack's direct children.
   */
  public addCredentialProcessOutput(id: string, role: iam.IRole, trustAnchor: ITrustAnchor, options: CredentialProcessOptions): CfnOutput {
    return new CfnOutput(Stack.of(this), id, {
      value: this.credentialProcess(role, trustAnchor, options),
      description: `credential_process line for ~/.aws/config (role ${role.node.id})`,
    });
  }

  private validateProfile(sessionPolicy: iam.PolicyDocument | undefined): string[] {
    const errors: string[] = [];
    const prefix = `Invalid RolesAnywhereProfile '${this.node.path}'`;
    const dup = duplicatesOf(this.roles.map(r => r.roleArn));
    if (dup.length > 0) errors.push(`${prefix} prop 'roles': ${dup.map(quote).join(', ')} is listed more than once; list each role once.`);
    if (sessionPolicy) {
      for (const e of sessionPolicy.validateForIdentityPolicy()) errors.push(`${prefix} prop 'sessionPolicy': ${e}`);
    }
    // A role whose trust conditions on an attribute the profile's mapping drops can never be assumed.
    for (const role of this.roles) {
      if (!(role instanceof RolesAnywhereRole)) continue;
      for (const c of role.certificateConditions) {
        const mapping = this.attributeMappings.find(m => m.certificateField === c.certificateField);
        if (!mapping || Token.isUnresolved(c.specifier)) continue;
        if (!mappingCovers(mapping, c.certificateField, c.specifier)) {
          errors.push(`${prefix} prop 'attributeMappings': the role '${role.node.path}' requires ${c.tagKey}, which the mapping of ${c.certificateField} ` +
            `(${mapping.specifiers.join(', ')}) drops, so no certificate could assume it; map '${c.specifier}' too.`);
        }
      }
    }
    return errors;
  }
}

function mappingCovers(mapping: AttributeMapping, field: CertificateField, specifier: string): boolean {
  return mapping.specifiers.some(s => {
    if (s === specifier) return true;
    if (field === CertificateField.X509_SAN) {
      return (s === 'Name' || s === 'Name/' || s === 'Name/*') && specifier.startsWith('Name/');
    }
    return s === '*';
  });
}

function validateAttributeMappings(site: ErrorSite, mappings: AttributeMapping[]): void {
  const fields = mappings.map(m => m.certificateField);
  validateNoDuplicates(site, 'attributeMappings', fields);
  for (const m of mappings) {
    if (!Object.values(CertificateField).includes(m.certificateField)) {
      fail(site, 'attributeMappings', `${quote(String(m.certificateField))} is not a certificate field`, 'use CertificateField.X509_SUBJECT, X509_ISSUER or X509_SAN');
    }
    if (m.specifiers.length === 0) {
      fail(site, 'attributeMappings', `the mapping of ${m.certificateField} has no specifiers`,
        'list the attributes to map, e.g. [\'CN\', \'OU\'], or leave the field out to keep the default mapping');
    }
    for (const s of m.specifiers) {
      if (!Token.isUnresolved(s) && !SPECIFIER.test(s)) {
        fail(site, 'attributeMappings', `${quote(s)} is not a specifier of ${m.certificateField}`, 'use an attribute such as CN, OU, O, DNS, URI, Name/CN or *');
      }
    }
  }
}
