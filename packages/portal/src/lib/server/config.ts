import { env } from '$env/dynamic/private';
import { parsePortalConfig, type PortalConfig } from './parse-config.js';

export type { PortalConfig } from './parse-config.js';

let config: PortalConfig | undefined;

/**
 * The portal server's configuration, read from the environment once (at startup, from the
 * `init` hook, so a bad value stops the process):
 * - `HANDOFF_API_URL`: the GraphQL endpoint, default `http://127.0.0.1:4000/graphql`
 * - `HANDOFF_PORTAL_TOKEN`: the API key the portal uses (optional for now)
 */
export function portalConfig(): PortalConfig {
  config ??= parsePortalConfig(env);
  return config;
}
