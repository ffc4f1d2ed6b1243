// Client side of the download benchmark: fetch one URL to the end over loopback, counting bytes, while
// sampling the server process's resident set size from /proc.
import { get } from 'node:http';
import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes (Linux /proc), or null where unavailable. */
export function rssOf(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Downloads `url` completely; returns bytes, seconds and the peak RSS of `pid` seen while it ran
 * (sampled every 25 ms).
 */
export function download(url, pid, expectedBytes) {
  return new Promise((resolve, reject) => {
    let peak = rssOf(pid) ?? 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, rssOf(pid) ?? 0);
    }, 25);
    const started = process.hrtime.bigint();
    get(url, (res) => {
      if (res.statusCode !== 200) {
        clearInterval(timer);
        res.resume();
        reject(new Error(`${url} answered ${res.statusCode}`));
        return;
      }
      let bytes = 0;
      res.on('data', (chunk) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        clearInterval(timer);
        peak = Math.max(peak, rssOf(pid) ?? 0);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (bytes !== expectedBytes) reject(new Error(`${url}: ${bytes} bytes, expected ${expectedBytes}`));
        else resolve({ bytes, seconds, peakRss: peak });
      });
      res.on('error', (error) => {
        clearInterval(timer);
        reject(error);
      });
    }).on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
  });
}
