/** Whether processes exist, by signal 0 (which checks without signalling). */

/** True while process `pid` exists (EPERM: it does, but belongs to another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True while any process of the process group `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
}
