import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  EMULATOR_ENDPOINT_VARIABLE,
  emulatorEndpointFor,
  EnvironmentClients,
  environmentClients,
} from '../../../lib/environments/aws-clients';

type ServiceClient = EnvironmentClients[Exclude<keyof EnvironmentClients, 'destroy'>];

/** Every service client of a set, by name. */
function services(clients: EnvironmentClients) {
  return Object.entries(clients).filter(
    (entry): entry is [string, ServiceClient] => entry[0] !== 'destroy',
  );
}

describe('emulatorEndpointFor', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env[EMULATOR_ENDPOINT_VARIABLE];
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[EMULATOR_ENDPOINT_VARIABLE];
    else process.env[EMULATOR_ENDPOINT_VARIABLE] = saved;
  });

  it('takes the option first, then $RANCHER_EMULATOR_ENDPOINT, then the default port 5000', () => {
    process.env[EMULATOR_ENDPOINT_VARIABLE] = 'http://127.0.0.1:7777';
    assert.equal(
      emulatorEndpointFor({ emulatorEndpoint: 'http://127.0.0.1:4566' }),
      'http://127.0.0.1:4566',
    );
    assert.equal(emulatorEndpointFor({}), 'http://127.0.0.1:7777');
    delete process.env[EMULATOR_ENDPOINT_VARIABLE];
    assert.equal(emulatorEndpointFor({}), 'http://127.0.0.1:5000');
    assert.equal(EMULATOR_ENDPOINT_VARIABLE, 'RANCHER_EMULATOR_ENDPOINT');
  });
});

describe('environmentClients', () => {
  it('points every client of a local environment at the emulator with its fake keys', async () => {
    const clients = environmentClients(
      { target: 'local', region: 'eu-west-1' },
      { emulatorEndpoint: 'http://127.0.0.1:4566' },
    );
    try {
      assert.equal(services(clients).length, 13);
      for (const [name, client] of services(clients)) {
        const endpoint = await client.config.endpoint?.();
        assert.equal(`${endpoint?.hostname}:${endpoint?.port}`, '127.0.0.1:4566', name);
        assert.equal(await client.config.region(), 'eu-west-1', name);
        const credentials = await client.config.credentials();
        assert.equal(credentials.accessKeyId, 'testing', name);
      }
      // The emulator serves buckets by path, not by host name.
      assert.equal(clients.s3.config.forcePathStyle, true);
    } finally {
      clients.destroy();
    }
  });

  it('leaves the endpoints of an aws environment to the SDK and finds buckets in other regions', async () => {
    const clients = environmentClients({ target: 'aws', region: 'eu-west-1' });
    try {
      for (const [name, client] of services(clients)) {
        assert.equal(client.config.isCustomEndpoint, false, name);
        assert.equal(await client.config.region(), 'eu-west-1', name);
      }
      assert.equal(clients.s3.config.forcePathStyle, false);
      assert.equal(clients.s3.config.followRegionRedirects, true);
    } finally {
      clients.destroy();
    }
  });
});
