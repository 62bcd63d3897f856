/**
 * The scope guard of the trust builder: reads the statements a pattern rendered as IAM will
 * evaluate them, with the one definition of a narrow trust (`trust-scope/`), and refuses any
 * way in wider than the pattern's props say (internal).
 */
import { IConstruct } from 'constructs';
import { scopeContextOf } from './regions';
import { ResolvedValueReader, readTrustPolicy } from './trust-reader';
import { Breadth, ScopeCheck, ScopeReason, statementScope } from './trust-scope';

/** The prop a check's values come from: the trust builder's own words. */
const PROPS: Record<string, string> = {
  [ScopeCheck.AUDIENCE]: 'audience',
  [ScopeCheck.SUBJECT]: 'subjects',
  [ScopeCheck.ACCOUNT]: 'principals',
  [ScopeCheck.ANY_PRINCIPAL]: 'principals',
  [ScopeCheck.PRINCIPAL_FORM]: 'principals',
};

/** What the guard allows. */
export interface ScopeGuardOptions {
  /** The construct class name, for messages. */
  readonly kind: string;
  /** Owner-wide ways in of every check are accepted. */
  readonly allowOwnerWide: boolean;
  /** The checks whose owner-wide ways in the pattern's props opted in to. */
  readonly ownerWideChecks: ReadonlySet<string>;
}

/**
 * The errors for the rendered (resolved) trust policy of `role`: a way in that does not pin
 * its tenant, that IAM refuses or that never holds, always; an owner-wide one nobody opted
 * in to. Values only known at deploy time are let through (the nag pack reports them).
 */
export function scopeGuardErrors(
  role: IConstruct, resolved: unknown, cfnJson: (logicalId: string) => unknown, options: ScopeGuardOptions,
): string[] {
  const ctx = scopeContextOf(role);
  const reader = new ResolvedValueReader({ ...ctx, cfnJson });
  const errors = new Set<string>();
  const refuse = (reasons: readonly ScopeReason[]): void => {
    for (const r of reasons) {
      if (r.advisory || r.breadth === Breadth.NARROW || r.breadth === Breadth.UNRESOLVED) continue;
      if (r.breadth === Breadth.OWNER_WIDE && (options.allowOwnerWide || options.ownerWideChecks.has(r.check))) continue;
      const optIn = r.breadth === Breadth.OWNER_WIDE ? ' (or opt in to the whole tenant with the pattern\'s named opt-in)' : '';
      errors.add(`Invalid ${options.kind} '${role.node.path}' prop '${PROPS[r.check] ?? 'conditions'}': ${r.text}; ${r.fix}${optIn}.`);
    }
  };
  for (const statement of readTrustPolicy(reader, resolved)) {
    const scope = statementScope(statement, ctx);
    refuse(scope.problems);
    for (const w of scope.ways) if (w.assumes) refuse(w.reasons);
  }
  return [...errors];
}
