// Child process: the real Handoff API on the database named by BENCH_DATABASE_URL, with a paid order
// granting unlimited downloads of BENCH_FILE (in the local storage root BENCH_ROOT). Reports
// BENCH_TOKENS signed /d/ paths.
import { serveAsChild } from '../child-server.mjs';
import { seedDigitalOrder, startHandoffApp } from '../handoff-app.mjs';
import { apiDist } from '../paths.mjs';

const { DownloadGrant } = await apiDist('downloads/download-grant.entity');

serveAsChild(async () => {
  const app = await startHandoffApp(process.env.BENCH_DATABASE_URL, {
    env: { HANDOFF_STORAGE_ROOTS: process.env.BENCH_ROOT, DOWNLOAD_TOKEN_TTL_SECONDS: '3600' },
  });
  const { em, merchantId, grants } = await seedDigitalOrder(app, {
    root: process.env.BENCH_ROOT,
    files: [{ ref: process.env.BENCH_FILE, displayName: 'big file.bin' }],
  });
  await em.nativeUpdate(DownloadGrant, { id: grants[0].id }, { limit: null, expiresAt: null });
  const paths = [];
  for (let i = 0; i < Number(process.env.BENCH_TOKENS ?? 4); i++) {
    const link = await app.services.downloads.mintLink(em, grants[0].id, { merchantId });
    paths.push(new URL(link.url).pathname);
  }
  return { info: { url: app.url, paths }, close: app.close };
});
