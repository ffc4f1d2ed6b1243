import type { ConnectionCredentials } from '../../channel-connector.js';
import { recordingHooks } from '../../testing/recording-hooks.js';
import { createAmazonConnector } from '../amazon.connector.js';
import { fakeAmazonConnection, startFakeAmazon, type FakeAmazonOptions } from './fake-amazon-server.js';
import { LOOPBACK_FAKES } from '../../../testing/outbound.js';

export interface FakeAmazonConnectOptions {
  credentials?: ConnectionCredentials;
  settings?: Record<string, string>;
}

/**
 * A fake SP-API and a connector against it, sharing one clock that only the connector's sleeps
 * advance. The connector starts with a valid access token `Atza|valid` unless credentials are given.
 */
export async function connectFakeAmazon(
  start: number,
  options: FakeAmazonOptions,
  extra: FakeAmazonConnectOptions = {},
) {
  const { clock, waits, credentialUpdates, hooks } = recordingHooks(start);
  const fake = await startFakeAmazon({ accessToken: 'Atza|valid', ...options, now: () => clock.t });
  const connection = fakeAmazonConnection(fake);
  const connector = createAmazonConnector({
    outbound: LOOPBACK_FAKES,
    credentials: extra.credentials ?? {
      ...connection.credentials,
      accessToken: 'Atza|valid',
      accessTokenExpiresAt: new Date(start + 3600_000).toISOString(),
    },
    settings: { ...connection.settings, ...extra.settings },
    ...hooks,
  });
  return { fake, connector, waits, credentialUpdates, clock };
}
