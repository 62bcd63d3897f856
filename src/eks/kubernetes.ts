/** A Kubernetes service account: the identity a pod runs as. */
export interface ServiceAccount {
  /** The namespace of the service account (an RFC 1123 label). */
  readonly serviceAccountNamespace: string;
  /** The name of the service account (an RFC 1123 subdomain). */
  readonly serviceAccountName: string;
}
