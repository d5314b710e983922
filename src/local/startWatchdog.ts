import { spawn } from 'node:child_process'

/**
 * A watchdog started by {@link startWatchdog}.
 *
 * @example
 * ```ts
 * const watchdog: Watchdog = startWatchdog(child.pid!)
 * child.once('exit', () => watchdog.release())
 * ```
 */
export interface Watchdog {
  /** Ends the watchdog without killing anything: call it once the watched process has exited. Safe to call twice. */
  release(): void
}

// Runs in its own small Node process. It reads nothing: its stdin is a pipe from this process, and the kernel closes
// that pipe when this process ends, however it ends (SIGKILL and crashes included); then the watched pid is killed.
const WATCHDOG_SOURCE = `
const pid = Number(process.argv[1])
process.stdin.on('close', () => {
  try { process.kill(pid, 'SIGKILL') } catch {}
  process.exit(0)
})
process.stdin.resume()
`

/**
 * Makes sure the process `pid` does not outlive this Node process: a tiny watchdog process (this same `node`, no file
 * needed) holds a pipe from this process and SIGKILLs `pid` when the pipe closes, which happens even when this process
 * is killed with SIGKILL and can run no clean-up of its own. Portable (Linux, macOS, Windows), unlike `prctl`'s
 * parent-death signal. Release it once the watched process has exited, so a recycled pid is never killed.
 *
 * @example
 * ```ts
 * const java = spawn('java', ['-jar', 'DynamoDBLocal.jar', '-inMemory'])
 * const watchdog = startWatchdog(java.pid!)
 * java.once('exit', () => watchdog.release())
 * ```
 */
export function startWatchdog(pid: number): Watchdog {
  const env = { ...process.env }
  delete env.NODE_OPTIONS // no loaders or inspector flags meant for this process
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_SOURCE, String(pid)], {
    env,
    // Its own process group: Ctrl-C or a signal to this process's group must not end it before it has done its job.
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    windowsHide: true
  })
  watchdog.on('error', () => {}) // no watchdog (a spawn failure) must not crash the program it guards
  // Neither the watchdog nor its pipe keeps this process alive.
  watchdog.unref()
  ;(watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.()
  return {
    release() {
      if (!watchdog.killed && watchdog.exitCode === null) watchdog.kill('SIGKILL')
    }
  }
}
