/** SAML 2.0 identity providers. */
import { WayRead, broadOf, find, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { AccessMapWayIn } from '../model';

const SAML_SIGN_IN = /^https:\/\/([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\/saml$/;

/** Reads a SAML way in: the users of the provider. */
export function saml({ s, w, scope }: WayRead): AccessMapWayIn[] {
  return [users(s, /:saml-provider\/(.+)$/.exec(w.principal)?.[1] ?? w.principal, broadOf(w.reasons, scope))];
}

function users(s: WayRead['s'], provider: string, broad: string | undefined): AccessMapWayIn {
  const consumed = new Set<Condition>();
  // The standard sign-in audiences only say the users sign in to the console; they do not narrow who.
  for (const c of find(s, 'SAML:aud', /^StringEquals$/)) if (c.values.every(v => SAML_SIGN_IN.test(v))) consumed.add(c);
  const name = provider.replace(/^⟨name of SAML provider (.+)⟩$/, '⟨$1⟩');
  return way(AccessMapKind.SAML, `users of SAML provider ${name}`, s, consumed, broad);
}
