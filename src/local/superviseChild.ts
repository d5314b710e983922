import type { ChildProcess } from 'node:child_process'
import { startWatchdog } from './startWatchdog.js'

/**
 * Ties a child process (DynamoDB Local's Java, a test's redis-server) to this Node process: if this process ends
 * without stopping it (a crash, `process.exit`), the child is killed on exit; if this process is killed outright
 * (SIGKILL), which runs no handler, a watchdog kills it. `stop()` sends SIGTERM, SIGKILL after 5 s, and resolves once
 * the child has exited; safe to call twice.
 *
 * @example
 * ```ts
 * const child = spawn('redis-server', ['--port', '6380'])
 * const { stop } = superviseChild(child)
 * // …
 * await stop()
 * ```
 */
export function superviseChild(child: ChildProcess): { stop(): Promise<void> } {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  if (child.pid !== undefined) {
    const watchdog = startWatchdog(child.pid)
    child.once('exit', () => watchdog.release())
  }
  let stopped = false
  return {
    async stop() {
      if (stopped) return
      stopped = true
      process.off('exit', killOnExit)
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
      }
    }
  }
}
