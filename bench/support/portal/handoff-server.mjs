// Child process: the real Handoff API on the database named by BENCH_DATABASE_URL, with a paid order
// of a product with BENCH_FILES files (one grant each) in local storage under BENCH_ROOT. Reports the
// API's URL, the order's portal code and the portal service token.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveAsChild } from '../child-server.mjs';
import { seedDigitalOrder, startHandoffApp } from '../handoff-app.mjs';
import { apiDist } from '../paths.mjs';

const { portalServiceToken } = await apiDist('portal/portal-auth');

serveAsChild(async () => {
  const root = process.env.BENCH_ROOT;
  const count = Number(process.env.BENCH_FILES ?? 20);
  const app = await startHandoffApp(process.env.BENCH_DATABASE_URL, {
    env: { HANDOFF_STORAGE_ROOTS: root, PORTAL_URL: process.env.BENCH_PORTAL_URL ?? 'http://127.0.0.1:3000' },
  });
  const files = [];
  for (let i = 1; i <= count; i++) {
    const ref = `chapter-${String(i).padStart(2, '0')}.pdf`;
    const content = `chapter ${i}\n`.repeat(100 * i);
    await writeFile(join(root, ref), content);
    files.push({
      ref,
      displayName: `Chapter ${i} (PDF)`,
      size: Buffer.byteLength(content),
      contentType: 'application/pdf',
    });
  }
  const { em, merchantId, orderId } = await seedDigitalOrder(app, { root, files, merchantName: 'Bench portal shop' });
  const link = await app.services.portalCodes.ensurePortalCode(em, { id: orderId, merchantId });
  return {
    info: { url: app.url, code: link.code, token: portalServiceToken(app.config, app.keyring) },
    close: app.close,
  };
});
