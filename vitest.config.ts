import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  // SWC, not esbuild: type-graphql and MikroORM need emitted decorator metadata.
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: 'es2022',
      },
    }),
  ],
  resolve: {
    alias: [
      // One copy of graphql (CJS, as Node loads it for type-graphql): avoids the dual-package hazard.
      { find: /^graphql$/, replacement: require.resolve('graphql', { paths: [here('./packages/api')] }) },
      { find: /^@handoff\/(shared|connectors|api)$/, replacement: here('./packages/$1/src/index.ts') },
      { find: /^@handoff\/(shared|connectors|api)\/(.*)$/, replacement: here('./packages/$1/src/$2.ts') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: [here('./test/setup/global-setup.ts')],
    setupFiles: [here('./test/setup/reflect-metadata.ts')],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', here('./test/setup/summary-reporter.ts')],
  },
});
