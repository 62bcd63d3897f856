#!/usr/bin/env node
import { writeFileSync } from 'fs';
import { basename, resolve } from 'path';
import { parseArgs } from 'util';
import { AccessMap } from './access-map';
import { AWS_CONFIG_USAGE, awsConfigCommand } from './aws-config';
import { EXPLAIN_USAGE, explainCommand } from './explain-command';
import { KEYS_USAGE, keysCommand } from '../access-keys/keys-command';

const USAGE = `Usage:
  cdk-access-patterns map [ASSEMBLY ...] [--format markdown|json] [--out FILE]
      Who can assume which role, from one or more cloud assemblies (default: cdk.out).
  cdk-access-patterns map --diff OLD NEW [--format markdown|json] [--out FILE]
      The access NEW grants that OLD does not, and the reverse (two assembly directories).
${EXPLAIN_USAGE}
${KEYS_USAGE}
${AWS_CONFIG_USAGE}`;

/** Runs the command line; returns the exit code. Output goes to `write` unless `--out` is given. */
export function main(argv: string[], write: (text: string) => void = t => process.stdout.write(t)): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === undefined) {
    write(`${USAGE}\n`);
    return command === undefined ? 1 : 0;
  }
  if (command === 'explain') return explainCommand(rest, write);
  if (command === 'keys') return keysCommand(rest, write);
  if (command === 'aws-config') return awsConfigCommand(rest, write);
  if (command !== 'map') throw new UsageError(`unknown command '${command}'`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'markdown' },
      out: { type: 'string' },
      diff: { type: 'boolean', default: false },
    },
  });
  const format = values.format;
  if (format !== 'markdown' && format !== 'json') throw new UsageError(`--format must be markdown or json, not '${format}'`);
  let text: string;
  if (values.diff) {
    if (positionals.length !== 2) throw new UsageError('--diff takes two assembly directories: OLD NEW');
    const [before, after] = positionals.map(d => AccessMap.fromAssembly(d));
    const changes = AccessMap.diff(before, after);
    text = format === 'json' ? `${JSON.stringify({ version: 1, changes }, undefined, 2)}\n` : AccessMap.diffToMarkdown(changes);
  } else {
    const dirs = positionals.length > 0 ? positionals : ['cdk.out'];
    // Several assemblies: each stack name is prefixed with its directory's name, or with the
    // path as given when two directories share a name (a/cdk.out, b/cdk.out).
    const names = dirs.map(d => basename(resolve(d)));
    const prefixes = new Set(names).size === names.length ? names : dirs.map(d => d.replace(/\/+$/, ''));
    const map = dirs.length === 1 ? AccessMap.fromAssembly(dirs[0])
      : AccessMap.combine(dirs.map((d, i) => AccessMap.fromAssembly(d, { prefix: prefixes[i] })));
    text = format === 'json' ? map.toJson() : map.toMarkdown();
  }
  if (values.out) writeFileSync(values.out, text);
  else write(text);
  return 0;
}

/** A mistake on the command line: reported with the usage text. */
class UsageError extends Error {}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const usage = e instanceof UsageError || String((e as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`cdk-access-patterns: ${message}\n${usage ? `${USAGE}\n` : ''}`);
    process.exitCode = 2;
  }
}
