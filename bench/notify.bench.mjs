// Issue 5: 2,000 orders turning paid → every email accepted by a local SMTP server, through the real
// path (import transaction → dispatch-triggers → run-rule → send-notification over SMTP), against
// sending the same 2,000 pre-rendered messages straight through nodemailer in the same run.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cpuSecondsBetween, cpuSnapshot } from './support/cpu-time.mjs';
import { freshDatabase } from './support/database.mjs';
import { round } from './support/load.mjs';
import { openNotifyHub } from './support/notify/hub.mjs';
import { startSmtpSink } from './support/notify/smtp-sink.mjs';
import { repoRoot } from './support/paths.mjs';

const ORDERS = 2_000;
/**
 * Orders sent before the clock starts, so the worker is measured warm (its JIT has compiled the
 * rendering and sending paths), as a running service is and as the baseline's median run is.
 */
const WARMUP_ORDERS = 300;
/** Orders per import transaction (one sync page). */
const BATCH = 100;
const CONCURRENCY = 2;
/** Worker processes (the hub runs any number against one database). */
const WORKERS = Number(process.env.BENCH_NOTIFY_WORKERS ?? 1);
const TARGET_RATIO = 0.5;
/** Handoff rounds and baseline runs, interleaved (H B H B H B); the medians count. */
const ROUNDS = 3;
const TIMEOUT_MS = 300_000;

const nodemailer = createRequire(join(repoRoot, 'packages', 'connectors', 'package.json'))('nodemailer');

const email = (i, prefix) => `${prefix}-${i}@bench.test`;
const order = (i, status, updatedAt, prefix) => ({
  externalId: `${prefix}-${i}`,
  number: `#${prefix.toUpperCase()}${10_000 + i}`,
  status,
  channelStatus: status,
  buyer: { email: email(i, prefix), name: `Buyer ${i}`, language: ['en', 'de', 'cs', 'zh-CN'][i % 4], country: 'DE' },
  currency: 'EUR',
  total: 1990,
  taxTotal: 318,
  createdAt: new Date('2026-03-01T09:00:00Z'),
  updatedAt,
  paidAt: status === 'paid' ? updatedAt : null,
  tags: [],
  raw: { id: i },
  items: [
    {
      externalId: `${prefix}-${i}-1`,
      sku: 'EBOOK',
      title: 'E-book',
      quantity: 1,
      unitPrice: 1990,
      tax: 318,
      refundedQuantity: 0,
      cancelled: false,
    },
  ],
});

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (runs) => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
const seconds = (ms) => (ms / 1000).toFixed(2);

async function until(check, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function importAll(hub, status, updatedAt, onCommit, { count = ORDERS, prefix }) {
  for (let start = 0; start < count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) =>
      order(start + k, status, updatedAt, prefix),
    );
    await hub.orm.em.fork().transactional((tx) =>
      hub.services.importer.importBatch(tx, { connectionId: hub.connectionId, merchantId: hub.merchantId }, batch, {
        source: 'sync',
        actor: 'bench',
      }),
    );
    onCommit?.(start, batch.length, performance.now());
  }
}

export default {
  name: 'notify',
  description: `${ORDERS.toLocaleString('en')} orders turning paid → emails accepted by a local SMTP server, vs nodemailer sending the same pre-rendered messages`,
  /** @param {import('./support/discover.mjs').BenchContext} ctx */
  async run(ctx) {
    const db = await freshDatabase({ log: ctx.log });
    ctx.defer(db.drop);
    const sink = await startSmtpSink();
    ctx.defer(sink.close);
    const hub = await openNotifyHub(db.url, {
      smtpPort: sink.port,
      concurrency: CONCURRENCY,
      workers: WORKERS,
      workerExecArgv: process.env.BENCH_WORKER_ARGS
        ? process.env.BENCH_WORKER_ARGS.split(' ')
        : process.env.BENCH_WORKER_PROF
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_PROF}`]
          : [],
    });
    ctx.defer(hub.close);
    const sql = (text) => hub.orm.em.fork().getConnection().execute(text);
    // No job due or running (the rule runs' delayed safety jobs wait a minute and find nothing to do).
    const idle = async () =>
      Number(
        (
          await sql(
            `select count(*) as n from pgboss.job
              where state = 'active' or (state in ('created','retry') and start_after <= now())`,
          )
        )[0].n,
      ) === 0;

    // Warm-up: a few pages of orders go the whole way (pending → paid → email) before the clock starts.
    const warmup = { count: WARMUP_ORDERS, prefix: 'w' };
    await importAll(hub, 'pending', new Date('2026-03-01T10:00:00Z'), undefined, warmup);
    await importAll(hub, 'paid', new Date('2026-03-01T11:00:00Z'), undefined, warmup);
    await until(() => sink.count() >= WARMUP_ORDERS, 'the warm-up emails');
    ctx.log(`warm-up: ${WARMUP_ORDERS} orders emailed`);

    const pids = { bench: process.pid, ...Object.fromEntries(hub.workerPids.map((pid, i) => [`worker${i + 1}`, pid])) };
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, pool: true, maxConnections: 5 });
    ctx.defer(() => transport.close());

    /** Handoff: 2,000 new orders imported unpaid (settled before the clock starts), then reported paid. */
    async function handoffRound(prefix) {
      const scope = { prefix };
      await importAll(hub, 'pending', new Date('2026-03-01T10:00:00Z'), undefined, scope);
      await until(idle, 'the pending orders to settle');
      sink.reset();
      const committedAt = new Array(ORDERS);
      const cpuBefore = await cpuSnapshot(pids);
      const started = performance.now();
      await importAll(
        hub,
        'paid',
        new Date('2026-03-01T11:00:00Z'),
        (start, n, at) => {
          for (let k = 0; k < n; k++) committedAt[start + k] = at;
        },
        scope,
      );
      const progress = setInterval(
        async () => {
          const states = await sql(`select name, state, count(*) as n from pgboss.job group by 1, 2 order by 1, 2`);
          ctx.log(`… ${sink.count()} accepted; jobs ${states.map((s) => `${s.name}/${s.state}=${s.n}`).join(' ')}`);
        },
        Number(process.env.BENCH_PROGRESS_MS ?? 10_000),
      );
      try {
        await until(() => sink.count() >= ORDERS, 'every email');
      } finally {
        clearInterval(progress);
      }
      const cpu = cpuSecondsBetween(cpuBefore, await cpuSnapshot(pids));
      const ms = Math.max(...sink.accepted.values()) - started;
      const latencies = committedAt.map((at, i) => sink.accepted.get(email(i, prefix)) - at).sort((a, b) => a - b);
      if (latencies.some((l) => !Number.isFinite(l))) throw new Error('an email is missing');
      await new Promise((r) => setTimeout(r, 1500));
      const [{ sent, total }] = await sql(
        `select count(*) filter (where status = 'sent') as sent, count(*) as total from notification
          where recipient like '${prefix}-%'`,
      );
      if (sink.count() !== ORDERS || Number(sent) !== ORDERS || Number(total) !== ORDERS)
        throw new Error(`expected exactly ${ORDERS} emails, got ${sink.count()} accepted, ${sent}/${total} rows sent`);
      ctx.log(
        `handoff ${prefix}: ${ORDERS} emails in ${seconds(ms)} s; latency median ${Math.round(percentile(latencies, 50))} ms, ` +
          `p99 ${Math.round(percentile(latencies, 99))} ms; CPU s ${Object.entries(cpu)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} (bench: this process, the import and the SMTP server)`,
      );
      return { ms, latencies, cpu };
    }

    /** Baseline: the round's rendered messages straight through one pooled nodemailer transport. */
    async function baselineRun(prefix) {
      const rows = await sql(
        `select recipient, subject, html, text from notification where recipient like '${prefix}-%' order by created_at`,
      );
      sink.reset();
      const cpuBefore = await cpuSnapshot({ bench: process.pid });
      const started = performance.now();
      await Promise.all(
        rows.map((r) =>
          transport.sendMail({
            from: '"Bench Shop" <no-reply@bench.test>',
            to: r.recipient,
            subject: r.subject,
            html: r.html,
            text: r.text,
          }),
        ),
      );
      const ms = performance.now() - started;
      if (sink.count() !== ORDERS) throw new Error(`baseline: ${sink.count()} of ${ORDERS} accepted`);
      const cpu = cpuSecondsBetween(cpuBefore, await cpuSnapshot({ bench: process.pid })).bench;
      ctx.log(`nodemailer: ${ORDERS} emails in ${seconds(ms)} s; CPU s ${cpu}`);
      return { ms, cpu };
    }

    // Interleaved, so a slow minute of the machine hits both sides; medians of each.
    const handoffRuns = [];
    const baselineRuns = [];
    for (let round = 1; round <= ROUNDS; round++) {
      handoffRuns.push(await handoffRound(`r${round}`));
      baselineRuns.push(await baselineRun(`r${round}`));
    }
    const { ms: handoffMs, latencies, cpu: handoffCpu } = median(handoffRuns);
    const { ms: baselineMs, cpu: baselineCpu } = median(baselineRuns);
    ctx.log(
      `medians of ${ROUNDS}: handoff ${seconds(handoffMs)} s (${handoffRuns.map((r) => seconds(r.ms)).join(' / ')}), ` +
        `nodemailer ${seconds(baselineMs)} s (${baselineRuns.map((r) => seconds(r.ms)).join(' / ')})`,
    );

    const handoffPerSecond = (ORDERS * 1000) / handoffMs;
    const baselinePerSecond = (ORDERS * 1000) / baselineMs;
    const ratio = round(handoffPerSecond / baselinePerSecond, 3);
    if (ratio < TARGET_RATIO) ctx.log(`warning: ratio ${ratio} is below the target ${TARGET_RATIO}`);
    return {
      ratio,
      orders: ORDERS,
      handoffEmailsPerSecond: round(handoffPerSecond, 1),
      baselineEmailsPerSecond: round(baselinePerSecond, 1),
      latencyMedianMs: Math.round(percentile(latencies, 50)),
      latencyP99Ms: Math.round(percentile(latencies, 99)),
      handoffSeconds: round(handoffMs / 1000, 2),
      baselineSeconds: round(baselineMs / 1000, 2),
      rounds: ROUNDS,
      workerProcesses: WORKERS,
      pagesPerWorker: CONCURRENCY,
      handoffCpuSeconds: handoffCpu,
      baselineCpuSeconds: baselineCpu,
      database: db.mode,
      target: TARGET_RATIO,
    };
  },
};
