import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import { startTestApi, type TestApi } from '../testing/test-api.js';

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
}

const CREATE = `mutation($i: CreateChannelConnectionInput!) {
  createChannelConnection(input: $i) { connection { id } userErrors { code field message } }
}`;
const UPDATE = `mutation($id: ID!, $i: UpdateChannelConnectionInput!) {
  updateChannelConnection(id: $id, input: $i) { connection { id } userErrors { code field message } }
}`;
const SET_MAIL = `mutation($i: MailSettingsInput!) {
  setMailSettings(input: $i) { mailSettings { host } userErrors { code field message } }
}`;

/** With HANDOFF_ALLOW_PRIVATE_HOSTS off, hosts a merchant names are refused on save, naming the field. */
describe('outbound hosts a merchant saves', () => {
  let api: TestApi;
  let key: string;

  beforeAll(async () => {
    api = await startTestApi(inject('database'), { env: { HANDOFF_ALLOW_PRIVATE_HOSTS: '0' } });
    ({ apiKey: key } = await api.merchantWithKey('Strict shop'));
  });
  afterAll(() => api?.close());

  it.each([
    ['woocommerce', 'baseUrl', 'http://shop.example.com'],
    ['woocommerce', 'baseUrl', 'https://127.0.0.1:8443'],
    ['woocommerce', 'siteUrl', 'https://localhost'],
    ['woocommerce', 'baseUrl', 'https://[::ffff:127.0.0.1]'],
    ['woocommerce', 'baseUrl', 'https://169.254.169.254'],
    ['woocommerce', 'baseUrl', 'https://2130706433'],
    ['shopware', 'baseUrl', 'https://10.0.0.8'],
    ['shopify', 'shop', '192.168.0.10'],
    ['amazon', 'lwaUrl', 'https://100.64.1.1'],
  ])('refuses %s settings.%s = %s', async (kind, field, value) => {
    const res = await api.gql<{ createChannelConnection: Payload & { connection: unknown } }>(
      CREATE,
      { i: { kind, name: 'Shop', settings: { [field]: value } } },
      key,
    );
    expect(res.data!.createChannelConnection.connection).toBeNull();
    expect(res.data!.createChannelConnection.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['settings', field],
    });
  });

  it('refuses the same on update, and keeps the stored settings', async () => {
    const created = await api.gql<{ createChannelConnection: { connection: { id: string } } }>(
      CREATE,
      { i: { kind: 'woocommerce', name: 'Shop', settings: { baseUrl: 'https://shop.example.com' } } },
      key,
    );
    const id = created.data!.createChannelConnection.connection.id;
    const res = await api.gql<{ updateChannelConnection: Payload }>(
      UPDATE,
      { id, i: { settings: { baseUrl: 'https://127.0.0.1' } } },
      key,
    );
    expect(res.data!.updateChannelConnection.userErrors[0]).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: ['settings', 'baseUrl'],
    });
    const row = await api.orm.em
      .fork()
      .getConnection()
      .execute<{ settings: unknown }[]>(`select settings from channel_connection where id = ?`, [id]);
    expect(row[0]!.settings).toEqual({ baseUrl: 'https://shop.example.com' });
  });

  it.each(['127.0.0.1', 'localhost', '169.254.169.254', '[fe80::1]', '[::ffff:169.254.169.254]', '10.0.0.25'])(
    'refuses the SMTP host %s',
    async (host) => {
      const res = await api.gql<{ setMailSettings: Payload & { mailSettings: unknown } }>(
        SET_MAIL,
        { i: { host, port: 587, fromAddress: 'shop@shop.example', fromName: 'Shop' } },
        key,
      );
      expect(res.data!.setMailSettings.mailSettings).toBeNull();
      expect(res.data!.setMailSettings.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['host'] });
    },
  );

  it.each([
    ['endpoint', { accountName: 'shopfiles', accountKey: 'a2V5', endpoint: 'http://shopfiles.blob.example.com' }],
    ['endpoint', { accountName: 'shopfiles', accountKey: 'a2V5', endpoint: 'https://127.0.0.1:10000/shopfiles' }],
    ['endpoint', { accountName: 'shopfiles', accountKey: 'a2V5', endpoint: 'https://169.254.169.254/' }],
    [
      'connectionString',
      {
        connectionString:
          'DefaultEndpointsProtocol=https;AccountName=shopfiles;AccountKey=a2V5;BlobEndpoint=https://[::ffff:10.0.0.1]/shopfiles;',
      },
    ],
  ])('refuses an Azure %s on a private address or plain http', async (field, input) => {
    const res = await api.gql<{ connectAzureStorage: Payload & { storageConnection: unknown } }>(
      `mutation($i: ConnectAzureStorageInput!) { connectAzureStorage(name: "Blobs", input: $i) { storageConnection { id } userErrors { code field message } } }`,
      { i: { container: 'files', ...input } },
      key,
    );
    expect(res.data!.connectAzureStorage.storageConnection).toBeNull();
    expect(res.data!.connectAzureStorage.userErrors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: [field] });
  });

  it('HANDOFF_ALLOW_PRIVATE_HOSTS must be 0 or 1 and is off by default', () => {
    expect(() => loadConfig({ HANDOFF_ALLOW_PRIVATE_HOSTS: 'yes' })).toThrow(ConfigError);
    expect(loadConfig({}).HANDOFF_ALLOW_PRIVATE_HOSTS).toBe(false);
    expect(loadConfig({ HANDOFF_ALLOW_PRIVATE_HOSTS: '1' }).HANDOFF_ALLOW_PRIVATE_HOSTS).toBe(true);
  });
});
