/** EKS Pod Identity: service accounts through the session tags, or the associations that name the role. */
import { NARROWING, WayRead, bare, find, refersTo, valuesText, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { isPattern } from '../../core/trust-scope';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { AccessMapWayIn } from '../model';

/** Reads a Pod Identity way in: one line, or one per association when the trust names no service account. */
export function podIdentity({ ev, roleId, s, broad }: WayRead): AccessMapWayIn[] {
  const consumed = new Set<Condition>();
  // A pattern (`like team-*`) is kept as a pattern in the words.
  const tag = (name: string) => {
    const cs = find(s, `aws:RequestTag/${name}`, NARROWING);
    cs.forEach(c => consumed.add(c));
    // A tag that may be anything (`like *`) names nothing.
    if (cs.length === 0 || cs.some(c => c.values.some(v => isPattern(c.operator, v) && /^[*?]+$/.test(v)))) return [];
    return [valuesText(cs)];
  };
  const namespaces = tag('kubernetes-namespace');
  const serviceAccounts = tag('kubernetes-service-account');
  const clusterArns = tag('eks-cluster-arn');
  const clusterNames = tag('eks-cluster-name');
  const accounts = find(s, 'aws:SourceAccount', NARROWING);
  accounts.forEach(c => consumed.add(c));
  const accountText = accounts.flatMap(c => c.values).join(' or ') || 'any account';
  const clusters = [...clusterArns.map(a => a.replace(/^arn:[^:]+:eks:[^:]*:[^:]*:cluster\//, '')), ...clusterNames];
  const clusterText = clusters.length > 0 ? `cluster ${clusters.map(bare).join(' or ')}` : `any cluster of ${accountText}`;
  const single = (v: string[]) => v.length === 1 && !/ or |^like /.test(v[0]);
  if (namespaces.length > 0 && serviceAccounts.length > 0) {
    const who = single(namespaces) && single(serviceAccounts) ? `service account ${namespaces[0]}/${serviceAccounts[0]}`
      : `service account ${serviceAccounts.join('')} in namespace ${namespaces.join('')}`;
    return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: ${who} on ${clusterText}`, s, consumed, broad)];
  }
  // The trust names no service account: every association in the account (or namespace) may use the role.
  const scope = namespaces.length > 0 ? `in namespace ${namespaces.join('')} ` : '';
  const associations = Object.values<any>(ev.loaded.template.Resources ?? {})
    .filter(r => r?.Type === 'AWS::EKS::PodIdentityAssociation' && refersTo(r.Properties?.RoleArn, roleId));
  if (associations.length === 0) return [way(AccessMapKind.EKS_POD_IDENTITY, `EKS Pod Identity: any service account ${scope}on ${clusterText}`, s, consumed, broad)];
  return associations.map(a => way(AccessMapKind.EKS_POD_IDENTITY,
    `EKS Pod Identity: service account ${ev.str(a.Properties.Namespace)}/${ev.str(a.Properties.ServiceAccount)} on cluster ${bare(ev.str(a.Properties.ClusterName))} (association)`,
    s, consumed, broad));
}
