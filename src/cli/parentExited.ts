/**
 * Resolves when the process that started this one has gone (this process was re-parented, so `process.ppid`
 * changed). `npx` runs a command through `sh -c`, and Debian's and Ubuntu's `sh` (dash) neither execs the command nor
 * passes on the SIGTERM that npm forwards to it: the shell dies and the command is left running with no parent. This
 * is how a foreground command notices. Polls, because no portable event says so; the timer keeps nothing alive.
 *
 * @example
 * ```ts
 * const reason = await Promise.race([stopSignal, parentExited().then(() => 'parent exited')])
 * ```
 */
export function parentExited(intervalMs = 500): Promise<void> {
  const parent = process.ppid
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid === parent) return
      clearInterval(timer)
      resolve()
    }, intervalMs)
    timer.unref()
  })
}
