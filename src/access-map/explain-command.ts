/** `npx cdk-access-patterns explain`: why a call to STS was allowed or refused. */
import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { Evaluator } from './evaluate';
import { explainCall, explanationText, findRole } from './explain';
import { AssumeCall, ExplainInputError, fromClaims, fromEvent, fromPrincipal, parseContext } from './private/requests';
import { templatesOfAssembly } from './templates';

export const EXPLAIN_USAGE = `  cdk-access-patterns explain ASSEMBLY --role PATH-OR-NAME (--claims FILE | --event FILE | --principal ARN) [--context KEY=VALUE ...] [--action ACTION] [--format text|json]
      Why one role's trust lets a request in or refuses it: a token's claims (JSON), the CloudTrail
      record of the call, or a principal with context keys. Exit code 0 allowed, 1 refused,
      2 bad input, 3 cannot decide (a value only known at deploy time decides).`;

/** Exit codes of `explain`. */
export const EXPLAIN_EXIT = { allowed: 0, refused: 1, undecided: 3 } as const;

/** Runs `explain` with the arguments after the command name; returns the exit code. Bad input throws. */
export function explainCommand(args: string[], write: (text: string) => void): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      claims: { type: 'string' },
      event: { type: 'string' },
      principal: { type: 'string' },
      context: { type: 'string', multiple: true },
      action: { type: 'string' },
      format: { type: 'string', default: 'text' },
    },
  });
  if (positionals.length !== 1) throw new ExplainInputError('explain takes one assembly directory');
  const sources = [values.claims, values.event, values.principal].filter(v => v !== undefined);
  if (sources.length !== 1) throw new ExplainInputError('give exactly one of --claims FILE, --event FILE or --principal ARN');
  if (values.format !== 'text' && values.format !== 'json') throw new ExplainInputError(`--format must be text or json, not '${values.format}'`);
  const templates = templatesOfAssembly(positionals[0]);
  const extra = parseContext(values.context ?? []);
  let call: AssumeCall;
  let found;
  if (values.event !== undefined) {
    const event = readJsonFile(values.event);
    const peek = fromEvent(event, () => '⟨account⟩', 'aws');
    found = findRole(templates, values.role, peek.roleArn);
    const ev = new Evaluator(found.loaded);
    const fromRecord = fromEvent(event, arn => /^arn:[^:]+:iam::(\d{12}):/.exec(arn ?? '')?.[1] ?? ev.account, ev.partition);
    call = { ...fromRecord, context: { ...fromRecord.context, ...extra } };
  } else {
    found = findRole(templates, values.role);
    const ev = new Evaluator(found.loaded);
    if (values.claims !== undefined) {
      const fromToken = fromClaims(readJsonFile(values.claims), ev.account, ev.partition);
      call = { ...fromToken, context: { ...fromToken.context, ...extra } };
    } else {
      call = fromPrincipal(values.principal!, extra, values.action);
    }
  }
  if (values.action !== undefined) call = { ...call, action: values.action };
  const explanation = explainCall(found, call);
  write(values.format === 'json' ? `${JSON.stringify(explanation, undefined, 2)}\n` : explanationText(explanation));
  return EXPLAIN_EXIT[explanation.verdict];
}

function readJsonFile(file: string): any {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ExplainInputError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // A raw JWT: its payload is the claims.
    const parts = text.trim().split('.');
    if (parts.length === 3) {
      try {
        return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      } catch {
        // fall through
      }
    }
    throw new ExplainInputError(`${file} is not JSON (nor a JWT)`);
  }
}
