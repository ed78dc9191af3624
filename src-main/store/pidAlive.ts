// Whether a process id is alive on this machine: how a row or temporary file left by a killed process
// (import job, CAD run, cache file) is told apart from one a live process is still working on.
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
