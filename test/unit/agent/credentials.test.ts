import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { caChecksum, credentialSecretName } from '../../../lib/agent/credentials';

const PEM_WITHOUT_NEWLINE = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBeTCCAR+gAwIBAgIBADAKBggqhkjOPQQDAjAAMB4XDTI2MDEwMTAwMDAwMFoX',
  '-----END CERTIFICATE-----',
].join('\n');

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('credentialSecretName', () => {
  it('is cattle-credentials- and the first 10 hex of sha256("URL.token.namespace")', () => {
    // given: the digest computed here independently for a fixed input
    const expected = `cattle-credentials-${sha256('https://rancher.example.com.abc123.').slice(0, 10)}`;
    // when / then
    assert.equal(credentialSecretName('https://rancher.example.com', 'abc123'), expected);
    assert.match(expected, /^cattle-credentials-[0-9a-f]{10}$/);
  });

  it('includes the namespace in the hashed text when one is given', () => {
    const expected = `cattle-credentials-${sha256('https://rancher.example.com.abc123.c-m-x').slice(0, 10)}`;
    assert.equal(credentialSecretName('https://rancher.example.com', 'abc123', 'c-m-x'), expected);
    assert.notEqual(expected, credentialSecretName('https://rancher.example.com', 'abc123'));
  });

  it('changes with the token', () => {
    assert.notEqual(
      credentialSecretName('https://rancher.example.com', 'token-a'),
      credentialSecretName('https://rancher.example.com', 'token-b'),
    );
  });
});

describe('caChecksum', () => {
  it('adds the missing trailing newline before hashing', () => {
    assert.equal(caChecksum(PEM_WITHOUT_NEWLINE), sha256(`${PEM_WITHOUT_NEWLINE}\n`));
  });

  it('hashes a PEM that already ends in a newline as it is', () => {
    const pem = `${PEM_WITHOUT_NEWLINE}\n`;
    assert.equal(caChecksum(pem), sha256(pem));
    assert.equal(caChecksum(pem), caChecksum(PEM_WITHOUT_NEWLINE));
    assert.notEqual(caChecksum(pem), sha256(PEM_WITHOUT_NEWLINE));
  });

  it('is empty for an empty cacerts setting (public CA)', () => {
    assert.equal(caChecksum(''), '');
  });

  it('refuses text that is not a PEM certificate', () => {
    assert.throws(
      () => caChecksum('0123456789abcdef'),
      /caChecksum needs the PEM text of Rancher's cacerts setting .*got 16 characters/,
    );
  });
});
