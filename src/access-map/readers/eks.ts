/** EKS service accounts through the cluster's OIDC issuer (IRSA). */
import { IssuerWords } from './oidc';

const EKS_ISSUER = /^oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/id\/([A-Za-z0-9]+)$/;

const EKS_ISSUER_MARKER = /^⟨issuer of EKS cluster (.+)⟩$/;

function eksCluster(issuer: string): string {
  const marker = EKS_ISSUER_MARKER.exec(issuer);
  if (marker) return `cluster ${marker[1].replace(/^(.+), named at deploy$/, '⟨$1⟩ (named at deploy)')}`;
  const literal = EKS_ISSUER.exec(issuer);
  if (literal) return `the cluster with OIDC issuer id ${literal[2]} (${literal[1]})`;
  return `the cluster of issuer ${issuer}`;
}

function eksSubject(value: string, cluster: string): string {
  const m = /^system:serviceaccount:([^:]+):(.+)$/.exec(value);
  if (!m) return `EKS service account: subject ${value} on ${cluster}`;
  if (m[2] === '*') return `EKS service account: every service account in namespace ${m[1]} on ${cluster}`;
  return `EKS service account ${m[1]}/${m[2]} on ${cluster}`;
}

/** IRSA's subjects in words. */
export const EKS_WORDS: IssuerWords = {
  prefix: () => 'EKS service account',
  anyone: issuer => `any service account on ${eksCluster(issuer)}`,
  subject: (value, _like, issuer) => eksSubject(value, eksCluster(issuer)),
  standardAudience: values => values.every(v => v === 'sts.amazonaws.com'),
};
