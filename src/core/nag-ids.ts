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
