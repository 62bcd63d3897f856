import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * How cdk-nag names a policy resource in a finding id (`AwsSolutions-IAM5[Resource::...]`),
 * so that an acknowledgement matches the finding: intrinsics flattened, `${var}` written
 * `<var>`, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, `Fn::ImportValue` as its export
 * name, anything else as its JSON.
 *
 * @param resolved a resource of a policy statement, after `Stack.resolve`
 */
export function nagResourceName(resolved: unknown): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
    if (node && typeof node === 'object') {
      const o = node as Record<string, any>;
      if (o['Fn::Join']) {
        const [delimiter, items] = o['Fn::Join'];
        return (items as unknown[]).map(visit).join(delimiter);
      }
      if (o['Fn::Sub']) return visit(o['Fn::Sub']);
      if (o['Fn::GetAtt']) return `<${visit(o['Fn::GetAtt'][0])}.${visit(o['Fn::GetAtt'][1])}>`;
      if (o['Fn::ImportValue']) return visit(o['Fn::ImportValue']);
      if (o.Ref) return `<${visit(o.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(resolved);
}

/** The id of cdk-nag's `AwsSolutions-IAM5` finding for a wildcard resource (see {@link nagResourceName}). */
export function iam5ResourceFindingId(resolved: unknown): string {
  return `AwsSolutions-IAM5[Resource::${nagResourceName(resolved)}]`;
}

/** The id of cdk-nag's `AwsSolutions-IAM4` finding for a managed policy ARN (see {@link nagResourceName}). */
export function iam4PolicyFindingId(resolved: unknown): string {
  return `AwsSolutions-IAM4[Policy::${nagResourceName(resolved)}]`;
}

/** An acknowledgement whose id is computed from the template as it is rendered. */
export interface RenderedAcknowledgement {
  /** The finding id, e.g. from {@link iam5ResourceFindingId} of `stack.resolve(arn)`. */
  readonly id: string;
  /** Why the finding is acceptable. */
  readonly reason: string;
}

/**
 * Acknowledges findings on `scope` whose ids depend on how the template is rendered.
 *
 * A finding id names the resource as the template renders it: `arn:<AWS::Partition>:...`
 * or `arn:aws:...` depending on `@aws-cdk/core:enablePartitionLiterals` and on whether the
 * stack has a region, `Fn::ImportValue` once a value comes from another stack, and
 * whatever a later aws-cdk-lib renders. cdk-nag 3 compares acknowledgement ids with finding
 * ids as exact strings (no pattern, no wildcard), so the id must be computed from the same
 * rendering: `acknowledgements` runs when the app validates its construct tree, which is
 * after aspects and after cross-stack references became imports, and before validation
 * plugins such as cdk-nag read the acknowledgements. Resolve values with `Stack.resolve` of
 * the stack that holds the flagged resource. Each id is acknowledged once, however often
 * the app is synthesized.
 */
export function acknowledgeWhenRendered(scope: IConstruct, acknowledgements: (stack: Stack) => RenderedAcknowledgement[]): void {
  const done = new Set<string>();
  scope.node.addValidation({
    validate: () => {
      for (const ack of acknowledgements(Stack.of(scope))) {
        if (done.has(ack.id)) continue;
        done.add(ack.id);
        Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
      }
      return [];
    },
  });
}
