// `npm start` as a developer runs it: one command brings up DynamoDB Local, the seeded table and the API; Ctrl-C
// (SIGINT) takes it all down, leaving no Java process behind. Run as the npm script does, `node --import tsx …`: one
// process (the `tsx` CLI wrapper SIGKILLs its child if it does not acknowledge a relayed signal within 30 ms, which
// under load skips the clean-up). SIGINT goes to that process only, so the clean-up, not the terminal, must stop Java.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { afterAll, expect, it } from 'vitest'
import { callFor } from './support.js'

const started: ChildProcess[] = []
const javaPids: number[] = []

afterAll(() => {
  // Only if a test failed half-way: never leave our processes behind.
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const pid of javaPids) if (alive(pid)) process.kill(pid, 'SIGKILL')
})

/** Starts `npm start`'s program; `output` accumulates stdout and stderr. */
function startLocal() {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'warn' }
  delete env.COGNITO_USER_POOL_ID
  delete env.COGNITO_CLIENT_ID
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/api-server/src/startLocal.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  const run = { child, output: '', exited: new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))) }
  child.stdout!.on('data', (chunk: Buffer) => (run.output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (run.output += chunk.toString()))
  return run
}

/** Polls until `found` returns a value, failing with the program's output after `timeoutMs`. */
async function waitFor<T>(what: string, run: ReturnType<typeof startLocal>, found: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = found()
    if (value !== undefined) return value
    if (run.child.exitCode !== null) throw new Error(`exited before ${what}:\n${run.output}`)
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms:\n${run.output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** DynamoDB Local processes under `pid` (ps, so it needs no extra package). */
function javaUnder(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, child, parent, args]) => ({ pid: Number(child), ppid: Number(parent), args: args! }))
  const found: number[] = []
  const visit = (parent: number) => {
    for (const row of table.filter((r) => r.ppid === parent)) {
      if (row.args.includes('DynamoDBLocal')) found.push(row.pid)
      visit(row.pid)
    }
  }
  visit(pid)
  return found
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

it('starts DynamoDB Local, seeds, serves, and stops everything on SIGINT', { timeout: 45_000 }, async () => {
  const run = startLocal()
  const url = await waitFor('URL', run, () => /listening on (http:\/\/\S+)/.exec(run.output)?.[1])
  expect(run.output).toContain("curl -s -H 'Authorization: Bearer dev:ada'")
  const java = javaUnder(run.child.pid!)
  expect(java).toHaveLength(1)
  javaPids.push(...java)

  const groups = await callFor(url)('GET', '/api/message_groups', { as: 'ada' })
  expect(groups.status).toBe(200)
  expect(groups.body.map((g: { handle: string }) => g.handle).sort()).toEqual(['ben', 'dana'])

  run.child.kill('SIGINT')
  expect(await run.exited).toEqual({ code: 0, signal: null })
  expect(java.filter(alive)).toEqual([])
  // No error logged on the way down (the worker's errors are logged as "stream worker", the clean-up's as below).
  expect(run.output).not.toMatch(/Error while stopping|"msg":"stream worker"|"level":50/)
})

it('stops DynamoDB Local on SIGINT even while it is still starting', { timeout: 45_000 }, async () => {
  const run = startLocal()
  const java = await waitFor('Java process', run, () => {
    const found = javaUnder(run.child.pid!)
    return found.length > 0 ? found : undefined
  })
  javaPids.push(...java)
  run.child.kill('SIGINT') // the JVM takes seconds to answer: this lands before the engine is up
  expect(await run.exited).toEqual({ code: 0, signal: null })
  expect(run.output).not.toContain('listening on')
  expect(java.filter(alive)).toEqual([])
})
