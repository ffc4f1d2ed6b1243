import type { ChannelConnectorOptions, ConnectionCredentials } from '../channel-connector.js';

/**
 * Connector hooks for tests: a fake clock that only the connector's sleeps advance (so retries take
 * no real time), with every wait and every credential update recorded for assertions.
 */
export function recordingHooks(start: number) {
  const clock = { t: start };
  const waits: number[] = [];
  const credentialUpdates: ConnectionCredentials[] = [];
  const hooks = {
    onCredentialsChanged: async (next) => {
      credentialUpdates.push(next);
    },
    sleep: async (ms) => {
      waits.push(ms);
      clock.t += ms;
    },
    now: () => new Date(clock.t),
  } satisfies Pick<ChannelConnectorOptions, 'onCredentialsChanged' | 'sleep' | 'now'>;
  return { clock, waits, credentialUpdates, hooks };
}
