import { readFileSync, writeFileSync } from 'fs';
import { parseArgs } from 'util';
import { CredentialReportError, KeyPolicy, KeyReading, parseCredentialReport, readKeys } from './private/credential-report';

/** The `keys` command's line of the package's usage text. */
export const KEYS_USAGE = `  cdk-access-patterns keys REPORT.csv [--max-age 90d] [--max-unused 90d] [--as-of YYYY-MM-DD] [--format markdown|json] [--out FILE]
      Every active access key of an IAM credential report, its verdict and its replacement.
      Exit code 0: no key breaks the policy; 1: at least one does; 2: unreadable input.`;

/**
 * The `keys` command: reads an IAM credential report (`aws iam generate-credential-report`,
 * then `aws iam get-credential-report`) and reports each active access key. Returns the exit
 * code: 0 when no active key breaks the policy, 1 when one does, 2 when the command line or
 * the report cannot be read (the reason goes to `writeError`).
 *
 * @param argv the arguments after `keys`
 * @param write where the report goes, unless `--out` is given
 * @param writeError where usage and input errors go
 */
export function keysCommand(
  argv: string[],
  write: (text: string) => void = t => process.stdout.write(t),
  writeError: (text: string) => void = t => process.stderr.write(t),
): number {
  let options: { file: string; format: string; out?: string; policy: KeyPolicy };
  try {
    options = parseOptions(argv);
  } catch (e) {
    writeError(`cdk-access-patterns keys: ${(e as Error).message}\nUsage:\n${KEYS_USAGE}\n`);
    return 2;
  }
  let readings: KeyReading[];
  try {
    let text: string;
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (e) {
      throw new CredentialReportError(`cannot read ${options.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    readings = readKeys(parseCredentialReport(text), options.policy);
  } catch (e) {
    if (!(e instanceof CredentialReportError)) throw e;
    writeError(`cdk-access-patterns keys: ${options.file}: ${e.message}\n`);
    return 2;
  }
  const output = options.format === 'json' ? toJson(readings, options.policy) : toMarkdown(readings, options.policy);
  if (options.out) writeFileSync(options.out, output);
  else write(output);
  return readings.some(r => r.problems.length > 0) ? 1 : 0;
}

function parseOptions(argv: string[]): { file: string; format: string; out?: string; policy: KeyPolicy } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'max-age': { type: 'string', default: '90d' },
      'max-unused': { type: 'string' },
      'as-of': { type: 'string' },
      'format': { type: 'string', default: 'markdown' },
      'out': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new Error('give one credential report (CSV)');
  const format = values.format as string;
  if (format !== 'markdown' && format !== 'json') throw new Error(`--format must be markdown or json, not '${format}'`);
  const maxAgeDays = days('--max-age', values['max-age'] as string);
  const maxUnusedDays = values['max-unused'] === undefined ? maxAgeDays : days('--max-unused', values['max-unused'] as string);
  let asOf = new Date();
  if (values['as-of'] !== undefined) {
    asOf = new Date(`${values['as-of']}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values['as-of'] as string) || Number.isNaN(asOf.getTime())) {
      throw new Error(`--as-of must be a date such as 2025-01-31, not '${values['as-of']}'`);
    }
  }
  return { file: positionals[0], format, out: values.out as string | undefined, policy: { maxAgeDays, maxUnusedDays, asOf } };
}

function days(flag: string, value: string): number {
  const m = /^(\d+)d?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new Error(`${flag} must be a number of days such as 90d, not '${value}'`);
  return Number(m[1]);
}

function lastUsedText(r: KeyReading): string {
  if (!r.lastUsed) return 'never';
  return [r.lastUsed.date, r.lastUsed.region, r.lastUsed.service].filter(x => x !== undefined).join(' ');
}

function toMarkdown(readings: readonly KeyReading[], policy: KeyPolicy): string {
  const breaking = readings.filter(r => r.problems.length > 0).length;
  const lines = [
    '# Access keys of the credential report',
    '',
    `As of ${policy.asOf.toISOString().slice(0, 10)}; max age ${policy.maxAgeDays} days, max unused ${policy.maxUnusedDays} days. `
      + `${readings.length} active key(s), ${breaking} break(s) the policy.`,
    '',
  ];
  if (readings.length === 0) return `${lines.join('\n')}\nNo active access key.\n`;
  lines.push('| user | key | age | last used | verdict | replace with |', '|---|---|---|---|---|---|');
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  for (const r of readings) {
    lines.push(`| ${cell(r.user)} | ${r.slot} | ${r.ageDays === undefined ? 'unknown' : `${r.ageDays} days`} | ${cell(lastUsedText(r))} | `
      + `${r.problems.length > 0 ? '**breaks policy**: ' : ''}${cell(r.verdict)} | ${cell(r.replaceWith)} (${cell(r.because)}) |`);
  }
  return `${lines.join('\n')}\n`;
}

function toJson(readings: readonly KeyReading[], policy: KeyPolicy): string {
  return `${JSON.stringify({
    version: 1,
    asOf: policy.asOf.toISOString().slice(0, 10),
    maxAgeDays: policy.maxAgeDays,
    maxUnusedDays: policy.maxUnusedDays,
    violations: readings.filter(r => r.problems.length > 0).length,
    keys: readings.map(r => ({
      user: r.user,
      arn: r.arn,
      key: r.slot,
      root: r.root,
      ageDays: r.ageDays ?? null,
      lastUsed: r.lastUsed ?? null,
      verdict: r.verdict,
      breaksPolicy: r.problems.length > 0,
      problems: r.problems,
      replaceWith: r.replaceWith,
      because: r.because,
    })),
  }, undefined, 2)}\n`;
}
