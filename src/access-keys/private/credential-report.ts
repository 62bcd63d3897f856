/**
 * The IAM credential report: parsing of its CSV and the reading of each active access key.
 *
 * Columns and values as "Getting credential reports for your AWS account" documents them
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html):
 * `access_key_N_last_rotated` is `N/A` without an active key; `access_key_N_last_used_date`,
 * `_region` and `_service` are `N/A` when the key has never been used (or not since IAM began
 * tracking it on 22 April 2015), and the region is `N/A` for a service that is not regional
 * (Amazon S3); `password_last_used` is `no_information` for a password never used (or not
 * since 20 October 2014) and `N/A` without a password; the root user's row (`<root_account>`)
 * has `not_supported` for `password_enabled`, `password_last_changed` and
 * `password_next_rotation`.
 */

/** A credential report that cannot be read: the message says why. */
export class CredentialReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialReportError';
    Object.setPrototypeOf(this, CredentialReportError.prototype);
  }
}

/** The user name of the root user's row. */
export const ROOT_USER = '<root_account>';

/** The columns this reading needs (the report has more, e.g. certificates). */
export const REQUIRED_COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'mfa_active',
  ...[1, 2].flatMap(n => ['active', 'last_rotated', 'last_used_date', 'last_used_region', 'last_used_service'].map(c => `access_key_${n}_${c}`)),
];

/** One row of the report, by column name. */
export type ReportRow = Readonly<Record<string, string>>;

/** Values that stand for "no date" (the documented ones, and an empty cell). */
const NO_VALUE = new Set(['', 'N/A', 'no_information', 'not_supported']);

/**
 * Reads a credential report: the CSV itself, the base64 `Content` of
 * `aws iam get-credential-report`, or that command's JSON output.
 */
export function parseCredentialReport(input: string): ReportRow[] {
  let text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new CredentialReportError('the file is empty; download the report with `aws iam get-credential-report`');
  text = unwrap(text);
  const records = parseCsv(text);
  const header = records[0].map(h => h.trim());
  const missing = REQUIRED_COLUMNS.filter(c => !header.includes(c));
  if (missing.length === REQUIRED_COLUMNS.length) {
    throw new CredentialReportError('this is not an IAM credential report: its first line has none of the report\'s columns (user, arn, access_key_1_active ...)');
  }
  if (missing.length > 0) throw new CredentialReportError(`the credential report lacks the column(s) ${missing.join(', ')}`);
  const rows: ReportRow[] = [];
  records.slice(1).forEach((cells, i) => {
    if (cells.length === 1 && cells[0] === '') return; // a blank line
    if (cells.length !== header.length) {
      throw new CredentialReportError(`line ${i + 2} has ${cells.length} fields, the header has ${header.length}`);
    }
    rows.push(Object.fromEntries(header.map((h, j) => [h, cells[j]])));
  });
  return rows;
}

/** The CSV inside `get-credential-report`'s JSON or base64 output, or the text itself. */
function unwrap(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let content: unknown;
    try {
      content = (JSON.parse(trimmed) as { Content?: unknown }).Content;
    } catch {
      throw new CredentialReportError('the file is neither CSV nor the JSON output of `aws iam get-credential-report`');
    }
    if (typeof content !== 'string') throw new CredentialReportError('the JSON has no Content field; pass the CSV, or the output of `aws iam get-credential-report`');
    return decodeBase64(content);
  }
  if (!trimmed.includes(',') && /^[A-Za-z0-9+/=\s]+$/.test(trimmed)) return decodeBase64(trimmed);
  return text;
}

function decodeBase64(content: string): string {
  const decoded = Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (!decoded.includes(',')) throw new CredentialReportError('the report content is not base64-encoded CSV');
  return decoded;
}

/** RFC 4180 records: quoted fields with `""` escapes, CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') {quoted = false;} else {field += c;}
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === ',') {
      record.push(field); field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field); records.push(record); record = []; field = '';
    } else {
      field += c;
    }
  }
  if (quoted) throw new CredentialReportError('a quoted field is not closed; the file is cut short or is not CSV');
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  return records;
}

/** The policy the keys are held to. */
export interface KeyPolicy {
  /** A key older than this many days breaks the policy. */
  readonly maxAgeDays: number;
  /** A key unused for longer than this many days breaks the policy. */
  readonly maxUnusedDays: number;
  /** The day the report is read as of. */
  readonly asOf: Date;
}

/** What the report shows of one active access key. */
export interface KeyReading {
  readonly user: string;
  readonly arn: string;
  /** Key slot 1 or 2. */
  readonly slot: number;
  readonly root: boolean;
  /** Days since the key was created or last changed; undefined when the report has no date. */
  readonly ageDays?: number;
  /** The last use, or undefined when never used (or not since 22 April 2015). */
  readonly lastUsed?: { readonly date: string; readonly days: number; readonly region?: string; readonly service?: string };
  /** Each way the key breaks the policy; empty when it does not. */
  readonly problems: string[];
  /** `root key`, `unused for N days`, `older than the max age`, or `in use`. */
  readonly verdict: string;
  /** The construct(s) of the decision table that replace the key. */
  readonly replaceWith: string;
  /** What in the report the replacement was chosen from. */
  readonly because: string;
}

const DAY = 86_400_000;

/** Reads every active key of the report against the policy. */
export function readKeys(rows: readonly ReportRow[], policy: KeyPolicy): KeyReading[] {
  const readings: KeyReading[] = [];
  rows.forEach((row, i) => {
    for (const slot of [1, 2]) {
      const col = (c: string) => row[`access_key_${slot}_${c}`];
      if (!isTrue(col('active'))) continue;
      const line = i + 2;
      const rotated = dateOf(col('last_rotated'), line, `access_key_${slot}_last_rotated`);
      const used = dateOf(col('last_used_date'), line, `access_key_${slot}_last_used_date`);
      const root = row.user === ROOT_USER;
      const ageDays = rotated ? daysBetween(rotated, policy.asOf) : undefined;
      const lastUsed = used ? {
        date: used.toISOString().slice(0, 10),
        days: daysBetween(used, policy.asOf),
        region: valueOf(col('last_used_region')),
        service: valueOf(col('last_used_service')),
      } : undefined;
      const problems: string[] = [];
      if (root) problems.push('root key');
      const idleDays = lastUsed ? lastUsed.days : ageDays;
      if (idleDays !== undefined && idleDays > policy.maxUnusedDays) {
        problems.push(lastUsed ? `unused for ${idleDays} days` : `unused for ${idleDays} days (never used)`);
      }
      if (ageDays !== undefined && ageDays > policy.maxAgeDays) problems.push(`older than the max age (${ageDays} > ${policy.maxAgeDays} days)`);
      const unused = idleDays !== undefined && idleDays > policy.maxUnusedDays;
      const [replaceWith, because] = replacementOf(row, root, lastUsed?.service, unused);
      readings.push({
        user: row.user,
        arn: row.arn,
        slot,
        root,
        ageDays,
        lastUsed,
        problems,
        verdict: problems.length > 0 ? problems.join('; ') : 'in use',
        replaceWith,
        because,
      });
    }
  });
  return readings;
}

/** CI/CD systems recognised in a user name. */
const CI_NAMES: Array<[RegExp, string, string]> = [
  [/github/i, '`GitHubOidcProvider` + `GitHubActionsRole`', 'the user name names GitHub'],
  [/gitlab/i, '`GitLabOidcProvider` + `GitLabCiRole`', 'the user name names GitLab'],
  [/(^|[^a-z])(ci|cd|cicd|jenkins|circleci|buildkite|bitbucket|terraform|tfc|pipeline|deploy(er)?|build)([^a-z]|$)/i,
    'OIDC federation: `GitHubActionsRole`, `GitLabCiRole` or `OidcFederatedRole`', 'the user name names a CI/CD system'],
];

function replacementOf(row: ReportRow, root: boolean, service: string | undefined, unused: boolean): [string, string] {
  if (root) return ['delete it: no task needs a root access key; use roles, and Identity Center for people', 'it is the root user\'s key'];
  if (unused) return ['delete it (then the user, if nothing else uses it)', 'nothing has used it within the allowed time'];
  if (isTrue(row.password_enabled)) {
    return ['IAM Identity Center: `PermissionSet` + `AccountAssignments` (CLI through `aws sso login`)', 'the user also has a console password: a person'];
  }
  for (const [pattern, construct, why] of CI_NAMES) if (pattern.test(row.user)) return [construct, why];
  if (service === 'sts') return ['a role the caller assumes directly: `CrossAccountRole`, or `TrustAnchor` + `RolesAnywhereRole` for a server outside AWS', 'the key was last used to call STS (to assume a role)'];
  return ['a workload role (EC2, ECS, Lambda), or `TrustAnchor` + `RolesAnywhereRole` for a server outside AWS; if the application cannot change: `LegacyAccessKey`',
    'a workload signs with the key (no console password)'];
}

function isTrue(value: string | undefined): boolean {
  return (value ?? '').trim().toLowerCase() === 'true';
}

function valueOf(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  return NO_VALUE.has(v) ? undefined : v;
}

function dateOf(value: string | undefined, line: number, column: string): Date | undefined {
  const v = valueOf(value);
  if (v === undefined) return undefined;
  const date = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(date.getTime())) {
    throw new CredentialReportError(`line ${line}, column ${column}: '${v}' is not an ISO 8601 date, N/A or no_information`);
  }
  return date;
}

/** Whole calendar days (UTC) from one date to another, never negative. */
function daysBetween(from: Date, to: Date): number {
  const day = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.max(0, Math.round((day(to) - day(from)) / DAY));
}
