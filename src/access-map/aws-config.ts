/**
 * `cdk-access-patterns aws-config`: AWS CLI profiles for the access an assembly grants.
 *
 * Reads the assembly with the access map's template readers and writes an AWS CLI config
 * (`~/.aws/config` format): an `sso-session`, one IAM Identity Center profile per
 * (permission set, account) that a principal is assigned, `role_arn` + `source_profile`
 * profiles for roles whose trust names the role (or the permission set) that assumes them,
 * and `credential_process` profiles for IAM Roles Anywhere profiles. It merges into an
 * existing config without touching the sections it does not write.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { parseArgs } from 'util';
import { Evaluator } from './evaluate';
import { describeAssignment } from './permissions';
import { LoadedTemplate, templatesOfAssembly } from './templates';
import { ReadStatement, isDeployTime, readTrustPolicy } from '../core/trust-reader';

export const AWS_CONFIG_USAGE = `  cdk-access-patterns aws-config ASSEMBLY --sso-start-url URL --sso-region REGION [--out FILE]
      [--sso-session NAME] [--region REGION] [--certificate FILE --private-key FILE] [--arn PATH=ARN ...]
      AWS CLI profiles for the permission sets, cross-account roles and Roles Anywhere profiles
      of an assembly; --out merges them into an existing config file.`;

/** What the config is built from, besides the assembly. */
export interface AwsConfigOptions {
  /** The AWS access portal URL, e.g. `https://acme.awsapps.com/start`. */
  readonly ssoStartUrl: string;
  /** The region of the Identity Center instance. */
  readonly ssoRegion: string;
  /** The name of the `sso-session` section (default: the access portal's subdomain). */
  readonly ssoSession?: string;
  /** The `region` of every profile (default: the role's stack region, else `ssoRegion`). */
  readonly region?: string;
  /** The certificate file for Roles Anywhere profiles. */
  readonly certificate?: string;
  /** The private key file for Roles Anywhere profiles. */
  readonly privateKey?: string;
  /**
   * ARNs only known after deployment, by the construct path of their resource
   * (`Stack/Path`): Roles Anywhere trust anchors and profiles.
   */
  readonly arns?: Record<string, string>;
}

/** One section of the config: `sso-session acme` or `profile ReadOnly-111122223333`. */
export interface IniSection {
  readonly name: string;
  readonly settings: Array<[string, string]>;
  /** Comment lines written at the top of the section. */
  readonly comments?: string[];
}

/** The sections to write, and what could not be written (said on stderr). */
export interface AwsConfig {
  readonly sections: IniSection[];
  readonly notes: string[];
}

/** A role of the assembly, as the config needs it. */
interface RoleRead {
  readonly stack: string;
  readonly path: string;
  readonly arn: string;
  readonly name: string;
  readonly account?: string;
  readonly region?: string;
  readonly statements: ReadStatement[];
}

/** `AWSReservedSSO_<permission set>_<suffix>`, the role Identity Center provisions for a permission set. */
const SSO_ROLE = /^arn:[^:]+:iam::(\d{12}):role\/aws-reserved\/sso\.amazonaws\.com\/(?:[^/]+\/)?AWSReservedSSO_(.+)_([0-9a-f]{16}|\*)$/;
const ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):role\/(?:[^*?]*\/)?([^/*?]+)$/;

/** Builds the config from every template of an assembly. */
export function awsConfigOf(templates: LoadedTemplate[], options: AwsConfigOptions): AwsConfig {
  const notes: string[] = [];
  const session = options.ssoSession ?? sessionNameOf(options.ssoStartUrl);
  const sso = new Map<string, IniSection>();
  const ssoProfile = (set: string, account: string): string => {
    const name = profileName(set, account);
    if (!sso.has(name)) {
      sso.set(name, {
        name: `profile ${name}`,
        settings: [['sso_session', session], ['sso_account_id', account], ['sso_role_name', set], ['region', options.region ?? options.ssoRegion]],
      });
    }
    return name;
  };

  const roles: RoleRead[] = [];
  const raProfiles: Array<{ ev: Evaluator; id: string; r: any }> = [];
  /** Trust anchors of the app: the marker their ARN reads as, and their construct path. */
  const anchorLabels = new Map<string, string>();
  const arns = options.arns ?? {};
  for (const loaded of templates) {
    const ev = new Evaluator(loaded);
    for (const [id, r] of Object.entries<any>(loaded.template.Resources ?? {})) {
      if (r?.Type === 'AWS::SSO::Assignment') {
        const a = describeAssignment(ev, r);
        if (isDeployTime(a.permissionSet) || isDeployTime(a.account) || !/^\d{12}$/.test(a.account)) {
          notes.push(`assignment of ${a.principal} in ${loaded.stack}: the permission set (${a.permissionSet}) or account (${a.account}) is only known at deploy time; no profile`);
          continue;
        }
        ssoProfile(a.permissionSet, a.account);
      } else if (r?.Type === 'AWS::IAM::Role') {
        roles.push({
          stack: loaded.stack,
          path: ev.label(id),
          arn: ev.str({ 'Fn::GetAtt': [id, 'Arn'] }),
          name: ev.roleName(id),
          account: loaded.account,
          region: loaded.region,
          statements: readTrustPolicy(ev, r.Properties?.AssumeRolePolicyDocument),
        });
      } else if (r?.Type === 'AWS::RolesAnywhere::Profile') {
        raProfiles.push({ ev, id, r });
      } else if (r?.Type === 'AWS::RolesAnywhere::TrustAnchor') {
        anchorLabels.set(ev.str({ 'Fn::GetAtt': [id, 'TrustAnchorArn'] }), `${loaded.stack}/${ev.label(id)}`);
      }
    }
  }

  // Role profiles: a role whose trust names the role or permission set that assumes it. A
  // chain (a role trusted by a role of this file) resolves once its source has a profile.
  const roleProfiles = new Map<string, IniSection>();
  const profileOfArn = new Map<string, string>();
  const pending = roles.filter(role => trustedRoles(role).length > 0);
  let progress = true;
  while (progress) {
    progress = false;
    for (const role of [...pending]) {
      const source = sourceProfile(role, ssoProfile, profileOfArn);
      if (!source) continue;
      pending.splice(pending.indexOf(role), 1);
      progress = true;
      if (isDeployTime(role.arn) || role.account === undefined) {
        notes.push(`role ${role.stack}/${role.path}: its ARN is only known at deploy time (${role.arn}); give it a roleName (and the stack an account) for a profile`);
        continue;
      }
      const name = `role-${profileName(role.name, role.account)}`;
      const trust = trustDetails(role);
      roleProfiles.set(name, {
        name: `profile ${name}`,
        comments: [`# ${role.stack}/${role.path}`],
        settings: [
          ['role_arn', role.arn],
          ['source_profile', source],
          ...(trust.externalId ? [['external_id', trust.externalId] as [string, string]] : []),
          ['region', options.region ?? role.region ?? options.ssoRegion],
        ],
      });
      profileOfArn.set(role.arn, name);
      if (trust.mfa) notes.push(`profile ${name}: the trust of ${role.stack}/${role.path} requires MFA; the AssumeRole request must carry it (mfa_serial on the profile with an IAM user's MFA device, or a source session signed in with MFA)`);
    }
  }
  for (const role of pending) {
    notes.push(`role ${role.stack}/${role.path}: trusts ${trustedRoles(role).join(', ')}, for which this file has no profile; no profile`);
  }

  const raSections = new Map<string, IniSection>();
  for (const { ev, id, r } of raProfiles) {
    const label = `${ev.loaded.stack}/${ev.label(id)}`;
    // An ARN only known after deployment is taken from --arn <construct path>=<ARN>.
    const known = (value: string, path: string | undefined) => (isDeployTime(value) && path !== undefined && arns[path] ? arns[path] : value);
    const profileArn = known(ev.str({ 'Fn::GetAtt': [id, 'ProfileArn'] }), label);
    for (const roleArn of ev.strings(r.Properties?.RoleArns)) {
      const role = roles.find(x => x.arn === roleArn);
      const anchors = (role ? trustAnchorsOf(role) : []).map(a => known(a, anchorLabels.get(a)));
      const pass = (value: string, path: string | undefined) => `${value}${path ? ` (after deployment, pass --arn '${path}=<ARN>')` : ''}`;
      const missing = [
        ...isDeployTime(profileArn) ? [`the profile ARN ${pass(profileArn, label)}`] : [],
        ...isDeployTime(roleArn) ? [`the role ARN ${pass(roleArn, undefined)}`] : [],
        ...anchors.length === 0 ? ['the trust anchor ARN (the role names none in aws:SourceArn)'] : [],
        ...anchors.filter(isDeployTime).map(a => `the trust anchor ARN ${pass(a, anchorLabels.get(a))}`),
        ...options.certificate && options.privateKey ? [] : ['the certificate and private key files (--certificate, --private-key)'],
      ];
      const roleName = ROLE_ARN.exec(roleArn)?.[2] ?? role?.name ?? 'role';
      const account = ROLE_ARN.exec(roleArn)?.[1] ?? role?.account ?? 'account';
      const name = `rolesanywhere-${profileName(roleName, account)}`;
      if (missing.length > 0) {
        notes.push(`Roles Anywhere profile ${label} for ${roleArn}: no profile ${name}, as ${missing.length > 1 ? 'these are' : 'this is'} not known: ${missing.join('; ')}`);
        continue;
      }
      raSections.set(name, {
        name: `profile ${name}`,
        comments: [`# ${label}`],
        settings: [
          ['credential_process', ['aws_signing_helper', 'credential-process', '--certificate', options.certificate!, '--private-key', options.privateKey!,
            '--trust-anchor-arn', anchors[0], '--profile-arn', profileArn, '--role-arn', roleArn].map(quoteArg).join(' ')],
          ['region', options.region ?? role?.region ?? options.ssoRegion],
        ],
      });
    }
  }

  const byName = (a: IniSection, b: IniSection) => a.name.localeCompare(b.name);
  const sections: IniSection[] = [];
  if (sso.size > 0 || roleProfiles.size > 0) {
    sections.push({
      name: `sso-session ${session}`,
      settings: [['sso_start_url', options.ssoStartUrl], ['sso_region', options.ssoRegion], ['sso_registration_scopes', 'sso:account:access']],
    });
  }
  sections.push(...[...sso.values()].sort(byName), ...[...roleProfiles.values()].sort(byName), ...[...raSections.values()].sort(byName));
  return { sections, notes };
}

/** The roles (or role patterns) a role's trust names as callers, literally: principals and `aws:PrincipalArn` values. */
function trustedRoles(role: RoleRead): string[] {
  const out = new Set<string>();
  for (const s of role.statements) {
    if (s.effect !== 'Allow' || !assumes(s)) continue;
    for (const p of s.principals.AWS ?? []) {
      if (/^arn:[^:]+:iam::\d{12}:role\//.test(p) && !isDeployTime(p)) out.add(p);
    }
    for (const c of s.conditions) {
      if (c.key.toLowerCase() !== 'aws:principalarn' || !/^(ArnEquals|ArnLike|StringEquals|StringLike)$/.test(c.operator)) continue;
      c.values.filter(v => /^arn:[^:]+:iam::\d{12}:role\//.test(v) && !isDeployTime(v)).forEach(v => out.add(v));
    }
  }
  return [...out].sort();
}

/** A profile that yields credentials of a role the trust names: a permission set's, or a role profile of this file. */
function sourceProfile(role: RoleRead, ssoProfile: (set: string, account: string) => string, profiles: Map<string, string>): string | undefined {
  const trusted = trustedRoles(role);
  for (const arn of trusted) {
    const m = SSO_ROLE.exec(arn);
    if (m && !/[*?]/.test(m[2])) return ssoProfile(m[2], m[1]);
  }
  return trusted.map(arn => profiles.get(arn)).find(p => p !== undefined);
}

function assumes(s: ReadStatement): boolean {
  return s.actions.some(a => /^sts:(AssumeRole|\*)$/i.test(a) || a === '*');
}

/** The ExternalId the trust requires (one literal value), and whether it requires MFA. */
function trustDetails(role: RoleRead): { externalId?: string; mfa: boolean } {
  let externalId: string | undefined;
  let mfa = false;
  for (const s of role.statements.filter(x => x.effect === 'Allow' && assumes(x))) {
    for (const c of s.conditions) {
      if (c.key.toLowerCase() === 'sts:externalid' && c.operator === 'StringEquals' && c.values.length === 1 && !isDeployTime(c.values[0])) externalId = c.values[0];
      if (/^aws:MultiFactorAuth(Present|Age)$/i.test(c.key)) mfa = true;
    }
  }
  return { externalId, mfa };
}

/** The trust anchors a Roles Anywhere role names in `aws:SourceArn`. */
function trustAnchorsOf(role: RoleRead): string[] {
  return role.statements
    .filter(s => s.effect === 'Allow' && (s.principals.Service ?? []).includes('rolesanywhere.amazonaws.com'))
    .flatMap(s => s.conditions.filter(c => c.key.toLowerCase() === 'aws:sourcearn').flatMap(c => c.values));
}

/** `ReadOnly-111122223333`: letters, digits, `_`, `.` and `-` only. */
function profileName(name: string, account: string): string {
  return `${name}-${account}`.replace(/[^A-Za-z0-9_.-]+/g, '-');
}

/** The access portal's subdomain (`https://acme.awsapps.com/start` -> `acme`). */
function sessionNameOf(startUrl: string): string {
  const host = /^https:\/\/([^/.]+)\./.exec(startUrl)?.[1];
  return host ?? 'sso';
}

/** A command line argument, quoted when it holds a space (credential_process splits on whitespace). */
function quoteArg(arg: string): string {
  return /[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg;
}

/** The sections as config text. */
export function renderIni(sections: IniSection[]): string {
  return sections.map(renderSection).join('\n');
}

function renderSection(s: IniSection): string {
  return [`[${s.name}]`, ...s.comments ?? [], ...s.settings.map(([k, v]) => `${k} = ${v}`), ''].join('\n');
}

/** A section header's name with its words separated by one space: `[profile  a]` is `profile a`. */
function headerName(line: string): string | undefined {
  const m = /^\s*\[([^\]]*)\]\s*(?:[#;].*)?$/.exec(line);
  return m ? m[1].trim().split(/\s+/).join(' ') : undefined;
}

/**
 * Merges the sections into an existing config: a section of the same name is replaced in
 * place; every other section, comment and blank line is kept as it is; new sections go at
 * the end.
 */
export function mergeIni(existing: string, sections: IniSection[]): string {
  const lines = existing.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const ours = new Map(sections.map(s => [s.name, s]));
  const written = new Set<string>();
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const name = headerName(line);
    if (name !== undefined) {
      skipping = ours.has(name);
      if (skipping) {
        if (!written.has(name)) out.push(...renderSection(ours.get(name)!).split('\n'));
        written.add(name);
        continue;
      }
    }
    if (!skipping) out.push(line);
  }
  const rest = sections.filter(s => !written.has(s.name));
  if (rest.length > 0) {
    if (out.length > 0 && out[out.length - 1].trim() !== '') out.push('');
    out.push(renderIni(rest));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** Runs `aws-config`: returns the exit code; notes go to `warn`. Throws on bad input (exit code 2). */
export function awsConfigCommand(args: string[], write: (text: string) => void, warn: (text: string) => void = t => process.stderr.write(t)): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'sso-start-url': { type: 'string' },
      'sso-region': { type: 'string' },
      'sso-session': { type: 'string' },
      'region': { type: 'string' },
      'certificate': { type: 'string' },
      'private-key': { type: 'string' },
      'arn': { type: 'string', multiple: true },
      'out': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error(`aws-config takes one assembly directory\n${AWS_CONFIG_USAGE}`);
  const startUrl = values['sso-start-url'];
  if (!startUrl || !/^https:\/\/[^\s/]+(\/\S*)?$/.test(startUrl)) {
    throw new Error(`--sso-start-url must be the AWS access portal URL (https://<name>.awsapps.com/start), not '${startUrl ?? ''}'\n${AWS_CONFIG_USAGE}`);
  }
  const region = /^[a-z]{2}(-[a-z]+)+-\d$/;
  const ssoRegion = values['sso-region'];
  if (!ssoRegion || !region.test(ssoRegion)) throw new Error(`--sso-region must be the region of the Identity Center instance, e.g. eu-west-1, not '${ssoRegion ?? ''}'\n${AWS_CONFIG_USAGE}`);
  if (values.region !== undefined && !region.test(values.region)) throw new Error(`--region must be a region, e.g. eu-west-1, not '${values.region}'`);
  if (values['sso-session'] !== undefined && !/^[A-Za-z0-9_.-]+$/.test(values['sso-session'])) {
    throw new Error(`--sso-session must be letters, digits, '_', '.' or '-', not '${values['sso-session']}'`);
  }
  if ((values.certificate === undefined) !== (values['private-key'] === undefined)) throw new Error('--certificate and --private-key go together');
  const arns: Record<string, string> = {};
  for (const pair of values.arn ?? []) {
    const m = /^(.+)=(arn:[^:]+:rolesanywhere:[a-z0-9-]+:\d{12}:(trust-anchor|profile)\/[0-9a-f-]+)$/.exec(pair);
    if (!m) throw new Error(`--arn takes <construct path>=<Roles Anywhere trust anchor or profile ARN>, not '${pair}'`);
    arns[m[1]] = m[2];
  }
  const config = awsConfigOf(templatesOfAssembly(positionals[0]), {
    ssoStartUrl: startUrl,
    ssoRegion,
    ssoSession: values['sso-session'],
    region: values.region,
    certificate: values.certificate,
    privateKey: values['private-key'],
    arns,
  });
  for (const note of config.notes) warn(`cdk-access-patterns aws-config: ${note}\n`);
  if (values.out) {
    const before = existsSync(values.out) ? readFileSync(values.out, 'utf8') : '';
    writeFileSync(values.out, mergeIni(before, config.sections));
  } else {
    write(renderIni(config.sections));
  }
  return 0;
}
