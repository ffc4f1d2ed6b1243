import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createChannelConnector,
  type ChannelConnector,
  type ChannelConnectorOptions,
  type ConnectionCredentials,
  type OutboundPolicy,
  STRICT_OUTBOUND,
} from '@handoff/connectors';
import type { Keyring } from '../security/keyring.js';
import { ChannelConnection } from './channel-connection.entity.js';

/** Test seams: tests point connectors at fakes with a fast sleep. */
export type ConnectorOverrides = Pick<ChannelConnectorOptions, 'fetch' | 'sleep'>;

/**
 * Builds the connector of a stored connection: decrypts its credentials and stores refreshed ones
 * (re-encrypted) when the connector reports them.
 */
export class ConnectorFactory {
  constructor(
    private readonly keyring: Keyring,
    private readonly overrides: ConnectorOverrides = {},
    /** Where connectors may call: the merchant names the hosts, so strict unless the operator allows. */
    readonly outbound: OutboundPolicy = STRICT_OUTBOUND,
  ) {}

  async build(em: EntityManager, connection: ChannelConnection): Promise<ChannelConnector> {
    await em.populate(connection, ['credentialsEncrypted']);
    const credentials = this.readCredentials(connection);
    return createChannelConnector(connection.kind, {
      credentials,
      settings: connection.settings,
      outbound: this.outbound,
      ...this.overrides,
      onCredentialsChanged: async (next) => {
        await em
          .fork()
          .nativeUpdate(ChannelConnection, { id: connection.id }, { credentialsEncrypted: this.seal(next) });
      },
    });
  }

  seal(credentials: ConnectionCredentials): string {
    return this.keyring.encryptJson(credentials);
  }

  readCredentials(connection: ChannelConnection): ConnectionCredentials {
    return connection.credentialsEncrypted
      ? this.keyring.decryptJson<ConnectionCredentials>(connection.credentialsEncrypted)
      : {};
  }
}
