// @ts-check
/**
 * EKS bearer tokens, as aws-iam-authenticator defines and verifies them (pkg/token/token.go): the
 * prefix `k8s-aws-v1.` and the unpadded base64url encoding of a presigned STS GetCallerIdentity
 * URL whose signature covers the `x-k8s-aws-id: <cluster name>` header. The token is signed
 * locally (no network call); EKS resolves it to the caller's identity by calling the URL.
 *
 * Plain JavaScript (type-checked through JSDoc) because scripts/eks-token.mjs runs it under bare
 * Node, once per Kubernetes client Terraform's helm and kubernetes providers create, where a
 * TypeScript loader would add about a second to each start. Deterministic: the caller passes the
 * credentials and the signing time.
 */
import { Buffer } from 'node:buffer';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
/** The header EKS checks the cluster name in; it must be among the signed headers. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** aws-iam-authenticator sends 60 and accepts 0 to 900; STS honours 15 minutes from X-Amz-Date. */
export const PRESIGNED_URL_EXPIRES_SECONDS = 60;
/** A minute short of those 15 minutes, as aws-iam-authenticator does, so clients renew in time. */
export const TOKEN_LIFETIME_SECONDS = 14 * 60;
/** The ExecCredential version the providers are configured with (client-go accepts it and v1). */
export const EXEC_CREDENTIAL_API_VERSION = 'client.authentication.k8s.io/v1beta1';
const EXEC_CREDENTIAL_API_VERSIONS = [
  EXEC_CREDENTIAL_API_VERSION,
  'client.authentication.k8s.io/v1',
];
const STS_API_VERSION = '2011-06-15';

/** DNS suffix of each partition's endpoints (the AWS SDK's partitions.json); default amazonaws.com. */
const PARTITION_DNS_SUFFIXES = /** @type {const} */ ([
  [/^cn-/, 'amazonaws.com.cn'],
  [/^us-isob-/, 'sc2s.sgov.gov'],
  [/^us-isof-/, 'csp.hci.ic.gov'],
  [/^us-iso-/, 'c2s.ic.gov'],
  [/^eu-isoe-/, 'cloud.adc-e.uk'],
  [/^eusc-/, 'amazonaws.eu'],
]);
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

/**
 * The regional STS endpoint's host name, e.g. `sts.eu-west-1.amazonaws.com`.
 * @param {string} region
 * @returns {string}
 */
export function stsHostname(region) {
  if (!REGION.test(region)) {
    throw new Error(
      `region must be an AWS region such as eu-west-1; got ${JSON.stringify(region)}.`,
    );
  }
  const suffix = PARTITION_DNS_SUFFIXES.find(([prefix]) => prefix.test(region))?.[1];
  return `sts.${region}.${suffix ?? 'amazonaws.com'}`;
}

/** RFC 3986 encoding, as SigV4 canonicalises query strings. @param {string} value */
function encode(value) {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * @typedef {object} EksTokenOptions
 * @property {string} clusterName the EKS cluster's name
 * @property {string} region the cluster's region; the token is signed for its STS endpoint
 * @property {import('@smithy/types').AwsCredentialIdentity} credentials resolved credentials
 * @property {Date} signingDate when the token is signed (now, outside tests)
 */

/**
 * @typedef {object} EksToken
 * @property {string} token `k8s-aws-v1.` and the encoded presigned URL
 * @property {string} expirationTimestamp RFC 3339, when clients should ask for a new token
 */

/**
 * A bearer token for one EKS cluster.
 * @param {EksTokenOptions} options
 * @returns {Promise<EksToken>}
 */
export async function createEksToken({ clusterName, region, credentials, signingDate }) {
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(clusterName)) {
    throw new Error(
      `clusterName must be an EKS cluster name (letters, digits, - and _, at most 100); got ${JSON.stringify(clusterName)}.`,
    );
  }
  const hostname = stsHostname(region);
  const signer = new SignatureV4({ service: 'sts', region, credentials, sha256: Sha256 });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: STS_API_VERSION },
      headers: { host: hostname, [CLUSTER_ID_HEADER]: clusterName },
    },
    { expiresIn: PRESIGNED_URL_EXPIRES_SECONDS, signingDate },
  );
  const query = Object.entries(signed.query ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => `${encode(key)}=${encode(String(value))}`)
    .join('&');
  const url = `https://${hostname}/?${query}`;
  const expiration = new Date(signingDate.getTime() + TOKEN_LIFETIME_SECONDS * 1000);
  return {
    token: `${EKS_TOKEN_PREFIX}${Buffer.from(url, 'utf8').toString('base64url')}`,
    expirationTimestamp: expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

/**
 * The ExecCredential version to answer with: client-go passes the configured one in
 * KUBERNETES_EXEC_INFO and rejects an answer of another version.
 * @param {string | undefined} execInfo the KUBERNETES_EXEC_INFO environment variable
 * @returns {string}
 */
export function execCredentialApiVersion(execInfo) {
  if (!execInfo) return EXEC_CREDENTIAL_API_VERSION;
  try {
    const requested = JSON.parse(execInfo).apiVersion;
    return EXEC_CREDENTIAL_API_VERSIONS.includes(requested)
      ? requested
      : EXEC_CREDENTIAL_API_VERSION;
  } catch {
    return EXEC_CREDENTIAL_API_VERSION;
  }
}

/**
 * What an exec credential plugin prints for client-go.
 * @param {EksToken} token
 * @param {string} apiVersion
 */
export function execCredential(token, apiVersion) {
  return {
    kind: 'ExecCredential',
    apiVersion,
    spec: {},
    status: { token: token.token, expirationTimestamp: token.expirationTimestamp },
  };
}
