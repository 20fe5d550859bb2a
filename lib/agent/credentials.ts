/**
 * Names and checksums the Rancher cluster agent derives from known values. Pure: no cdktf imports.
 * Call these only with real values; a Terraform reference is a placeholder string at synth time,
 * and hashing it would give a stable but meaningless result.
 */
import { createHash } from 'node:crypto';

const CREDENTIAL_SECRET_PREFIX = 'cattle-credentials-';
const CREDENTIAL_KEY_LENGTH = 10;
const PEM_CERTIFICATE_HEADER = '-----BEGIN CERTIFICATE-----';

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The name Rancher's import manifest gives the agent's credentials Secret:
 * `cattle-credentials-` + the first 10 hex characters of sha256 of `URL.token.namespace`.
 * The namespace part is empty on the import path.
 */
export function credentialSecretName(serverUrl: string, token: string, namespace = ''): string {
  const key = sha256Hex(`${serverUrl}.${token}.${namespace}`).slice(0, CREDENTIAL_KEY_LENGTH);
  return `${CREDENTIAL_SECRET_PREFIX}${key}`;
}

/**
 * `CATTLE_CA_CHECKSUM` for Rancher's `cacerts` setting: hex sha256 of the PEM text with one
 * trailing newline added when it is missing, as Rancher computes it for its own manifest. Empty
 * for an empty setting, i.e. a public CA (the agent then skips the comparison).
 */
export function caChecksum(pem: string): string {
  if (pem === '') return '';
  // A checksum of the wrong text strands a strict agent, so refuse anything that is not PEM.
  if (!pem.includes(PEM_CERTIFICATE_HEADER)) {
    throw new Error(
      `caChecksum needs the PEM text of Rancher's cacerts setting (with a ${PEM_CERTIFICATE_HEADER} line) or an empty string for a public CA; got ${pem.length} characters without that line.`,
    );
  }
  return sha256Hex(pem.endsWith('\n') ? pem : `${pem}\n`);
}
