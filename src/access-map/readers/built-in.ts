/** IAM's built-in web identity providers (Google, Facebook, Login with Amazon): the app and the users, in words. */
import { NARROWING, WayRead, broadOf, find, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { BuiltInProvider } from '../../core/trust-scope';
import { AccessMapKind } from '../../core/trust-scope/kind';
import { AccessMapWayIn } from '../model';

/** Reads a way in of a built-in provider: one line per user id, or one for every user of the app. */
export function builtInReader(provider: BuiltInProvider): (r: WayRead) => AccessMapWayIn[] {
  return ({ s, w, scope }) => {
    const consumed = new Set<Condition>();
    const apps = find(s, provider.audience, NARROWING);
    apps.forEach(c => consumed.add(c));
    const users = find(s, provider.subject, /^(StringEquals|StringEqualsIgnoreCase)$/);
    users.forEach(c => consumed.add(c));
    const app = apps.length > 0 ? `app ${apps.flatMap(c => c.values).join(' or ')}` : 'any app';
    const broad = broadOf(w.reasons, scope);
    const ids = users.slice(0, 1).flatMap(c => c.values);
    if (ids.length === 0) return [way(AccessMapKind.OIDC, `${provider.name} ${app}: any user`, s, consumed, broad)];
    return ids.map(id => way(AccessMapKind.OIDC, `${provider.name} ${app}: user ${id}`, s, consumed, broad));
  };
}
