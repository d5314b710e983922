// Helpers for tests that start real programs (npm, npx, node) and stop them with real signals: readiness by polling,
// the process tree from `ps` (no extra package), and ports probed with a TCP connect.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'

export interface Launched {
  child: ChildProcess
  /** stdout and stderr so far. */
  output: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

const launched: Launched[] = []

/**
 * Starts `command` in its own process group (so {@link killLaunched} can take down everything it started), with
 * stdin closed and its output collected.
 */
export function launch(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Launched {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  const run: Launched = {
    child,
    output: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  }
  child.stdout!.on('data', (chunk: Buffer) => (run.output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (run.output += chunk.toString()))
  launched.push(run)
  return run
}

/** Only after a failed test: SIGKILL to the process group of everything {@link launch} started, and to `pids`. */
export function killLaunched(pids: readonly number[] = []): void {
  for (const { child } of launched.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // the group is gone already
    }
  }
  for (const pid of pids) if (!isGone(pid)) process.kill(pid, 'SIGKILL')
}

/** Polls until `found` returns a value; fails with the program's output if it exits first or after `timeoutMs`. */
export async function waitFor<T>(what: string, run: Launched, found: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = found()
    if (value !== undefined) return value
    if (run.child.exitCode !== null || run.child.signalCode !== null) throw new Error(`exited before ${what}:\n${run.output}`)
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${run.output}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Polls `check` until it holds; fails after `timeoutMs` saying what did not happen. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export interface ProcessRow {
  pid: number
  ppid: number
  args: string
}

function processTable(): ProcessRow[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, pid, ppid, args]) => ({ pid: Number(pid), ppid: Number(ppid), args: args! }))
}

/** Every process under `pid` (children, their children, …). */
export function descendants(pid: number): ProcessRow[] {
  const table = processTable()
  const found: ProcessRow[] = []
  const visit = (parent: number) => {
    for (const row of table.filter((r) => r.ppid === parent)) {
      found.push(row)
      visit(row.pid)
    }
  }
  visit(pid)
  return found
}

/** DynamoDB Local's Java processes anywhere under `pid`. */
export function javaUnder(pid: number): number[] {
  return descendants(pid)
    .filter((row) => row.args.includes('DynamoDBLocal'))
    .map((row) => row.pid)
}

/**
 * Whether `pid` has ended: no such process, or a zombie (an orphan's exit status waiting for an init that may never
 * collect it, as in some containers; it holds no port and runs no code).
 */
export function isGone(pid: number): boolean {
  try {
    return /^Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim())
  } catch {
    return true // ps exits non-zero when there is no such process
  }
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** Resident memory of `pid` (Linux /proc), in KB: now (`VmRSS`), or its peak since {@link resetPeakRss} (`VmHWM`). */
export function rssOf(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** Starts the kernel's peak of `pid`'s resident memory afresh (`/proc/<pid>/clear_refs`): no sample can miss a peak. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5')
}
