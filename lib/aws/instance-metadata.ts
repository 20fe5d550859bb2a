/**
 * Instance metadata settings of every launch template and instance: IMDSv2 only (session tokens
 * required), and a hop limit of 1 so that containers cannot reach the node's role; pods get AWS
 * credentials through IRSA, and only host processes (kubelet, RKE2's bootstrap) use the node role.
 */
export const IMDSV2_ONLY = {
  httpEndpoint: 'enabled',
  httpTokens: 'required',
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: 'disabled',
} as const;
