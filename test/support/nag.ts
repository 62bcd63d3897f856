import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { templateOf } from './template';
import { AccessPatternsChecks } from '../../src';

/** One unacknowledged finding. */
export interface NagFinding {
  /** The rule id, with the finding suffix where the rule gives one, e.g. `AwsSolutions-IAM5[Action::s3:*]`. */
  readonly rule: string;
  /** The construct path of the offending resource. */
  readonly path: string;
}

/**
 * Synthesizes the app holding `scope` (so that aspects have run) and returns the
 * unacknowledged findings of the AwsSolutions pack and this library's pack.
 */
export function nagFindings(scope: IConstruct): NagFinding[] {
  const root = scope.node.root;
  // Synthesizing runs the aspects that render trust policies.
  for (const stack of root.node.findAll().filter(Stack.isStack)) Template.fromStack(stack);
  const findings: NagFinding[] = [];
  for (const pack of [new AwsSolutionsChecks(), new AccessPatternsChecks()]) {
    const report = pack.validateScope(root);
    for (const v of report.violations) {
      for (const r of v.violatingResources) findings.push({ rule: v.ruleName, path: r.constructPath ?? '' });
    }
  }
  return findings;
}

/** Only this library's pack, over any construct tree that was already synthesized. */
export function accessPatternsFindings(scope: IConstruct): NagFinding[] {
  const report = new AccessPatternsChecks().validateScope(scope.node.root);
  return report.violations.flatMap(v => v.violatingResources.map(r => ({ rule: v.ruleName, path: r.constructPath ?? '' })));
}

/** One finding of this library's pack, with its severity. */
export interface PackFinding {
  readonly rule: string;
  readonly severity: string;
}

/** Synthesizes the app holding `stack` and runs only this library's pack over it: a finding per violating resource. */
export function packReport(stack: Stack): PackFinding[] {
  templateOf(stack);
  const r = new AccessPatternsChecks().validateScope(stack.node.root);
  return r.violations.flatMap(v => v.violatingResources.map(() => ({ rule: v.ruleName, severity: v.severity ?? '' })));
}
