/** IAM Roles Anywhere: certificates of trust anchors. */
import { NARROWING, WayRead, find, hasWildcard, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { AccessMapWayIn } from '../model';

/** Reads a Roles Anywhere way in: the certificate attributes and the trust anchors. */
export function rolesAnywhere({ s, broad }: WayRead): AccessMapWayIn[] {
  return [anchoredCertificates(s, broad)];
}

function anchoredCertificates(s: WayRead['s'], broad: string | undefined): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const anchors = find(s, 'aws:SourceArn', NARROWING);
  anchors.forEach(c => consumed.add(c));
  const attributes = find(s, /^aws:PrincipalTag\/x509(Subject|Issuer|SAN)\//i, NARROWING);
  attributes.forEach(c => consumed.add(c));
  const parts = attributes.map(c => {
    const [, kind, field] = /^aws:PrincipalTag\/x509(Subject|Issuer|SAN)\/(.+)$/i.exec(c.key)!;
    const prefix = kind.toLowerCase() === 'issuer' ? 'issuer ' : kind.toUpperCase() === 'SAN' ? 'SAN ' : '';
    const op = /Like/.test(c.operator) ? ' like ' : '=';
    return `${prefix}${field}${op}${c.values.join(' or ')}`;
  });
  const anchorNames = anchors.flatMap(c => c.values).map(anchorName);
  const certificates = parts.length > 0 ? `certificates with ${parts.join(', ')}` : 'any certificate';
  const via = anchorNames.length > 0 ? `via trust anchor ${hasWildcard(anchors) ? 'like ' : ''}${anchorNames.join(' or ')}` : 'via any trust anchor';
  return way(AccessMapKind.ROLES_ANYWHERE, `${certificates} ${via}`, s, consumed, broad);
}

/** A trust anchor of the same template reads by name; an ARN by its id. */
function anchorName(value: string): string {
  const marker = /^⟨trust anchor (.+)⟩$/.exec(value);
  if (marker) return marker[1];
  const arn = /^arn:[^:]+:rolesanywhere:([^:]*):(\d{12}):trust-anchor\/(.+)$/.exec(value);
  return arn ? `${arn[3]} (account ${arn[2]}, ${arn[1]})` : value;
}
