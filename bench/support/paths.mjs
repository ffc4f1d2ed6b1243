// Where things are, and how bench/ reaches code it does not declare as dependencies.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (bench/ is one level below it). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const benchDir = join(repoRoot, 'bench');
export const apiDir = join(repoRoot, 'packages', 'api');

/**
 * Imports a compiled module of the API package, e.g. `apiDist('db/orm')` → packages/api/dist/db/orm.js.
 * @param {string} modulePath path under dist/, without the .js suffix
 */
export function apiDist(modulePath) {
  return import(pathToFileURL(join(apiDir, 'dist', `${modulePath}.js`)).href);
}

/** The compiled @handoff/shared (its index). */
export function sharedDist() {
  return import(pathToFileURL(join(repoRoot, 'packages', 'shared', 'dist', 'index.js')).href);
}

const requireFromApi = createRequire(join(apiDir, 'package.json'));

/**
 * Requires a package the way packages/api resolves it (pnpm links it under packages/api/node_modules),
 * so bench/ needs no dependencies of its own and uses exactly the versions the API runs on.
 * This goes through `require`, so dual packages load their CommonJS build; keep every package of
 * one server on this path (mixing it with `import` could load two copies of graphql).
 * @param {string} name
 */
export function requireApiDependency(name) {
  return requireFromApi(name);
}

/**
 * Imports a compiled module of the connectors package, e.g.
 * `connectorsDist('channels/shopify/testing/fixtures')` → packages/connectors/dist/channels/shopify/testing/fixtures.js.
 * @param {string} modulePath path under dist/, without the .js suffix
 */
export function connectorsDist(modulePath) {
  return import(pathToFileURL(join(repoRoot, 'packages', 'connectors', 'dist', `${modulePath}.js`)).href);
}
