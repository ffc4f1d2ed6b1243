// `pnpm start`: compiles what changed (tsc -b is incremental: about a second when nothing did), then
// runs the start process in this very process, so a signal pnpm passes on reaches it directly.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b', 'packages/api'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
await import('../packages/api/dist/bin/start.js');
