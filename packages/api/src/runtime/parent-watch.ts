/**
 * Calls `onGone` once when this process's parent dies, however it died (SIGKILL and crashes
 * included): the process is then handed to another parent, so `process.ppid` changes.
 */
export function watchParent(onGone: () => void, intervalMs = 500): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onGone();
  }, intervalMs);
  timer.unref();
}
