/** Amazon Cognito identity pools. */
import { NARROWING, WayRead, broadOf, find, hasWildcard, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { AccessMapWayIn } from '../model';

/** Reads a Cognito way in: the identity pool and which identities. */
export function cognito({ s, w, scope }: WayRead): AccessMapWayIn[] {
  return [identities(s, broadOf(w.reasons, scope))];
}

function identities(s: WayRead['s'], broad: string | undefined): AccessMapWayIn {
  const consumed = new Set<Condition>();
  const pools = find(s, 'cognito-identity.amazonaws.com:aud', NARROWING);
  pools.forEach(c => consumed.add(c));
  const amr = find(s, 'cognito-identity.amazonaws.com:amr', /^(ForAnyValue:)?(StringEquals|StringLike)$/);
  amr.forEach(c => consumed.add(c));
  const amrValues = amr.flatMap(c => c.values);
  const poolText = pools.length > 0 ? `identity pool ${pools.flatMap(c => c.values).map(v => v.replace(/^⟨identity pool (.+)⟩$/, '$1')).join(' or ')}` : 'any identity pool';
  const guests = amrValues.includes('unauthenticated') || hasWildcard(amr) || amr.length === 0;
  const who = amrValues.includes('unauthenticated') ? 'unauthenticated (guest) identities'
    : guests ? 'any identity, guests included'
      : amrValues.includes('authenticated') ? 'authenticated identities' : `identities signed in with ${amrValues.join(' or ')}`;
  return way(AccessMapKind.COGNITO, `Cognito ${poolText}, ${who}`, s, consumed, broad);
}
