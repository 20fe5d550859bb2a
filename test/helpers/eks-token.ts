import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';

/**
 * Checks an EKS token the way aws-iam-authenticator's verifier does (kubernetes-sigs/
 * aws-iam-authenticator v0.7.18, pkg/token/token.go, tokenVerifier.Verify), then recomputes its
 * SigV4 signature from the canonical-request rules of AWS's "Create a signed AWS API request" with
 * node:crypto alone, so the signature is checked by code that shares nothing with the SDK signer.
 * Literals here come from those two sources, never from lib/cluster/eks-token.mjs.
 */

const V1_PREFIX = 'k8s-aws-v1.';
const MAX_TOKEN_BYTES = 4 * 1024;
/** parameterWhitelist of the verifier, lowercase. */
const ACCEPTED_PARAMETERS = [
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
];
/** SHA-256 of an empty payload: a GET has no body. */
const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface ExpectedToken {
  readonly clusterName: string;
  /** The STS host the token must be signed for, e.g. sts.eu-west-1.amazonaws.com. */
  readonly host: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface VerifiedToken {
  readonly url: URL;
  /** Query parameters by their exact names. */
  readonly parameters: Readonly<Record<string, string>>;
  /** X-Amz-Date as a Date. */
  readonly signedAt: Date;
}

/** RFC 3986 unreserved characters stay, everything else is %XX (uppercase), as SigV4 requires. */
function uriEncode(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map((byte) => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c)
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** SigV4: string to sign, signing key and signature for one canonical request. */
export function sigV4Signature(options: {
  readonly secretAccessKey: string;
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
  readonly canonicalRequest: string;
}): string {
  const day = options.amzDate.slice(0, 8);
  const scope = `${day}/${options.region}/${options.service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    options.amzDate,
    scope,
    createHash('sha256').update(options.canonicalRequest, 'utf8').digest('hex'),
  ].join('\n');
  let key = hmac(`AWS4${options.secretAccessKey}`, day);
  for (const part of [options.region, options.service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

/** Asserts every rule; returns the decoded URL and parameters for further checks. */
export function verifyEksToken(token: string, expected: ExpectedToken): VerifiedToken {
  assert.ok(Buffer.byteLength(token) <= MAX_TOKEN_BYTES, `token is ${token.length} bytes`);
  assert.ok(token.startsWith(V1_PREFIX), `token lacks the ${V1_PREFIX} prefix`);
  const encoded = token.slice(V1_PREFIX.length);
  // base64.RawURLEncoding: the URL-safe alphabet and no padding.
  assert.match(encoded, /^[A-Za-z0-9_-]+$/, 'not unpadded base64url');
  const url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  assert.equal(url.protocol, 'https:');
  assert.equal(url.host, expected.host);
  assert.equal(url.pathname, '/');

  const parameters: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    assert.ok(ACCEPTED_PARAMETERS.includes(lower), `parameter ${key} is not accepted`);
    assert.ok(!seen.has(lower), `duplicate parameter ${key}`);
    seen.add(lower);
    parameters[key] = value;
  }
  assert.equal(parameters.Action, 'GetCallerIdentity');
  assert.equal(parameters.Version, '2011-06-15');
  assert.equal(parameters['X-Amz-Algorithm'], 'AWS4-HMAC-SHA256');
  const expires = Number(parameters['X-Amz-Expires']);
  assert.ok(
    Number.isInteger(expires) && expires >= 0 && expires <= 900,
    `X-Amz-Expires ${expires}`,
  );
  const amzDate = parameters['X-Amz-Date'];
  assert.match(amzDate, /^\d{8}T\d{6}Z$/);
  assert.equal(
    parameters['X-Amz-Credential'],
    `${expected.accessKeyId}/${amzDate.slice(0, 8)}/${expected.region}/sts/aws4_request`,
  );
  assert.equal(parameters['X-Amz-Security-Token'], expected.sessionToken);
  const signedHeaders = parameters['X-Amz-SignedHeaders'].split(';');
  assert.ok(signedHeaders.includes('host'), `host is not signed: ${signedHeaders}`);
  assert.ok(signedHeaders.includes('x-k8s-aws-id'), `x-k8s-aws-id is not signed: ${signedHeaders}`);
  assert.deepEqual(signedHeaders, [...signedHeaders].sort(), 'signed headers must be sorted');

  const headerValues: Record<string, string> = {
    host: expected.host,
    'x-k8s-aws-id': expected.clusterName,
  };
  for (const header of signedHeaders) {
    assert.ok(header in headerValues, `unexpected signed header ${header}`);
  }
  const canonicalQuery = Object.entries(parameters)
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [uriEncode(key), uriEncode(value)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalRequest = [
    'GET',
    '/',
    canonicalQuery,
    ...signedHeaders.map((h) => `${h}:${headerValues[h]}`),
    '',
    signedHeaders.join(';'),
    EMPTY_PAYLOAD_SHA256,
  ].join('\n');
  const signature = sigV4Signature({
    secretAccessKey: expected.secretAccessKey,
    amzDate,
    region: expected.region,
    service: 'sts',
    canonicalRequest,
  });
  assert.equal(parameters['X-Amz-Signature'], signature, 'the SigV4 signature does not verify');

  const signedAt = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  return { url, parameters, signedAt };
}
