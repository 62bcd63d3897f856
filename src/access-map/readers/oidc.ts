/** Web identities of OIDC issuers: one line per subject, in the words of the issuer's kind. */
import { AccessMapWayIn } from '../model';
import { WayRead, broadOf, kindOf, way } from './words';
import { ReadCondition as Condition } from '../../core/trust-reader';
import { ScopeReason } from '../../core/trust-scope';

/** How an issuer's subjects read in words. */
export interface IssuerWords {
  /** What the lines start with, e.g. `GitHub Actions`. */
  prefix(issuer: string): string;
  /** Who gets in when no subject is named. */
  anyone(issuer: string): string;
  /** One subject value (not a literal `*` under StringEquals) as a whole line. */
  subject(value: string, like: boolean, issuer: string): string;
  /** Whether the audience values are the ones every provider of this kind uses (they say nothing about who). */
  standardAudience(values: string[]): boolean;
}

/** Any other issuer: the subject as it is. */
export const OTHER_ISSUER: IssuerWords = {
  prefix: issuer => `OIDC issuer ${issuer}`,
  anyone: () => 'any subject',
  subject: (value, like, issuer) => `OIDC issuer ${issuer}: subject ${like ? 'like ' : ''}${value}`,
  standardAudience: () => false,
};

/** A reader of web identity ways in, with the words of one kind of issuer. */
export function oidcReader(words: IssuerWords): (r: WayRead) => AccessMapWayIn[] {
  return ({ s, w, scope }) => {
    const issuer = w.issuer ?? w.principal;
    const consumed = new Set<Condition>();
    const kind = kindOf(w);
    // The words come from one subject block (StringEquals first); a second block stays a listed condition.
    const subBlocks = w.pinnedBy.filter(c => /:sub$/i.test(c.key));
    const said = subBlocks.filter(c => c.operator === 'StringEquals').slice(0, 1);
    if (said.length === 0) said.push(...subBlocks.slice(0, 1));
    said.forEach(c => consumed.add(c));
    for (const c of s.conditions.filter(x => x.key.endsWith(':aud') && x.operator === 'StringEquals')) {
      if (words.standardAudience(c.values)) consumed.add(c);
    }
    const prefix = words.prefix(issuer);
    // The reasons that are not about one subject value (the audience, the statement) apply to every line.
    const common = (r: ScopeReason) => r.check !== 'subject' || !(w.subjects ?? []).some(e => e.reason === r);
    const entries = (w.subjects ?? []).filter(e => said.some(c => c.key === e.key && c.values.includes(e.value) && (c.operator === 'StringLike') === e.like));
    if (entries.length === 0) return [way(kind, `${prefix}: ${words.anyone(issuer)}`, s, consumed, broadOf(w.reasons, scope))];
    // A second subject block ANDs with the first: when it narrows the way in, the values of the first do not widen it.
    const narrowedElsewhere = w.breadth < Math.max(...entries.map(e => e.breadth));
    return entries.map(({ value, like, reason }) => {
      const own = reason && !narrowedElsewhere ? [reason] : [];
      const broad = broadOf([...own, ...w.reasons.filter(common)], scope);
      // Under StringEquals a `*` is a plain character: the words must not read it as a pattern.
      const literal = !like && /[*?]/.test(value);
      const who = literal ? `${prefix}: subject ${value} (exactly, * and ? are not wildcards here)` : words.subject(value, like, issuer);
      return way(kind, who, s, consumed, broad);
    });
  };
}
