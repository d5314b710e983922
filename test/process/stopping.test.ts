// Stopping by process id, as a process manager or a CI script does (`npm start &` … `kill $!`): the signal goes to the
// one process that was started (npm, npx or node), never to its process group the way a terminal's Ctrl-C does. Then
// the API server and DynamoDB Local must stop within a few seconds, freeing their ports, and nothing they started may
// be left running; if node itself is SIGKILLed, DynamoDB Local's Java process must still go.
//
// Real processes and ports. `npm start` rebuilds dist/ first, so it runs in a scratch copy of the sources: the other
// test files read this tree's dist/ meanwhile. The rest runs the built package (`npm test` builds first).
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  descendants,
  eventually,
  freePort,
  isGone,
  javaUnder,
  killLaunched,
  launch,
  portAnswers,
  waitFor,
  type Launched
} from '../support/processes.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
/** Stopping must take "a few seconds"; this is generous for a loaded two-core machine. */
const STOPS_WITHIN_MS = 20_000
/** Starting includes the JVM, and for `npm start` the build. */
const READY_WITHIN_MS = 120_000

const javaPids: number[] = []
afterEach(() => killLaunched(javaPids.splice(0))) // a no-op unless a test failed half-way

/** The environment of every run: no AWS settings or endpoint from the developer's shell; quiet logs. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...extra }
  for (const key of Object.keys(clean)) if (key.startsWith('AWS_') || key.startsWith('COGNITO_') || key === 'DYNAMODB_ENDPOINT') delete clean[key]
  return clean
}

/** Reads the ports a program listens on from what it prints once it is ready, or `undefined` before that. */
type PortsReader = (output: string) => number[] | undefined

/** The API server's welcome: its URL, then DynamoDB Local's. */
const apiServerPorts: PortsReader = (output) =>
  /listening on http:\/\/127\.0\.0\.1:(\d+)[\s\S]*DynamoDB Local http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.slice(1).map(Number)

/** `dynamo-messaging local`: DynamoDB Local's endpoint. */
const localPorts: PortsReader = (output) => /running at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.slice(1).map(Number)

/**
 * Starts `run`, waits until it serves, sends `signal` to the started pid only, and checks that within a few seconds
 * the program has exited, its ports no longer answer, and every process it had started (Java first) is gone.
 */
async function expectSignalStopsEverything(run: Launched, ports: PortsReader, signal: NodeJS.Signals): Promise<void> {
  const listening = await waitFor('ready message', run, () => ports(run.output), READY_WITHIN_MS)
  const java = javaUnder(run.child.pid!)
  expect(java, 'one DynamoDB Local under the started process').toHaveLength(1)
  javaPids.push(...java)
  const started = descendants(run.child.pid!).map((row) => row.pid) // Java, its watchdog, npm's shell, tsx's esbuild
  for (const port of listening) expect(await portAnswers(port), `port ${port} answers before the signal`).toBe(true)

  run.child.kill(signal)

  await eventually(
    `${run.child.spawnargs.join(' ')} exiting on ${signal}`,
    () => run.child.exitCode !== null || run.child.signalCode !== null,
    STOPS_WITHIN_MS
  )
  for (const port of listening) {
    await eventually(`port ${port} closing`, async () => !(await portAnswers(port)), STOPS_WITHIN_MS)
  }
  await eventually(`every process it started (${started.join(', ')}) ending`, () => started.every(isGone), STOPS_WITHIN_MS)
}

/** SIGKILL to the node process, which can run no clean-up: DynamoDB Local must still not outlive it for long. */
async function expectSigkillStopsJava(run: Launched, ports: PortsReader): Promise<void> {
  const dynamoPort = (await waitFor('ready message', run, () => ports(run.output), READY_WITHIN_MS)).at(-1)!
  const java = javaUnder(run.child.pid!)
  expect(java).toHaveLength(1)
  javaPids.push(...java)

  run.child.kill('SIGKILL')

  await eventually(`Java (pid ${java[0]}) ending after node was SIGKILLed`, () => isGone(java[0]!), 10_000)
  await eventually(`DynamoDB Local's port ${dynamoPort} closing`, async () => !(await portAnswers(dynamoPort)), 10_000)
}

describe('npm start (the reported case)', () => {
  let copy: string | undefined
  afterAll(() => copy && rmSync(copy, { recursive: true, force: true }))

  it('stops the API server and DynamoDB Local on SIGTERM to npm', { timeout: READY_WITHIN_MS + 3 * STOPS_WITHIN_MS }, async () => {
    copy = mkdtempSync(join(tmpdir(), 'npm-start-'))
    for (const entry of ['package.json', 'tsconfig.json', 'tsup.config.ts', 'src', 'examples/api-server']) {
      cpSync(join(root, entry), join(copy, entry), { recursive: true })
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'))
    await expectSignalStopsEverything(launch('npm', ['start'], { cwd: copy, env: env() }), apiServerPorts, 'SIGTERM')
  })
})

describe('the API server run by node directly (what `npm start` execs)', () => {
  const startLocal = () => launch(process.execPath, ['--import', 'tsx', 'examples/api-server/src/startLocal.ts'], { cwd: root, env: env() })

  it.each(['SIGTERM', 'SIGINT'] as const)('stops everything on %s', { timeout: READY_WITHIN_MS + 3 * STOPS_WITHIN_MS }, async (signal) => {
    await expectSignalStopsEverything(startLocal(), apiServerPorts, signal)
  })

  it('takes DynamoDB Local down with it when node is SIGKILLed', { timeout: READY_WITHIN_MS + 30_000 }, async () => {
    await expectSigkillStopsJava(startLocal(), apiServerPorts)
  })
})

describe('npx dynamo-messaging local', () => {
  const npxLocal = async (extraEnv: Record<string, string> = {}) =>
    launch('npx', ['dynamo-messaging', 'local', '--port', String(await freePort())], { cwd: root, env: env(extraEnv) })

  it('stops DynamoDB Local on SIGTERM to npx', { timeout: READY_WITHIN_MS + 3 * STOPS_WITHIN_MS }, async () => {
    // npx runs the command through `sh -c`; where that is dash (Debian, Ubuntu) the shell dies on the SIGTERM npm
    // forwards, and the command must notice that it lost its parent.
    await expectSignalStopsEverything(await npxLocal(), localPorts, 'SIGTERM')
  })

  it('stops DynamoDB Local on SIGINT to npx where npm\'s shell execs the command (bash: macOS\'s sh)', { timeout: READY_WITHIN_MS + 3 * STOPS_WITHIN_MS }, async () => {
    // dash holds a SIGINT until its child exits, so it never reaches the command: see docs/cli.md.
    await expectSignalStopsEverything(await npxLocal({ npm_config_script_shell: 'bash' }), localPorts, 'SIGINT')
  })
})

describe('dynamo-messaging local run by node directly', () => {
  const cliLocal = async () => launch(process.execPath, ['dist/cli.js', 'local', '--port', String(await freePort())], { cwd: root, env: env() })

  it.each(['SIGTERM', 'SIGINT'] as const)('stops DynamoDB Local on %s', { timeout: READY_WITHIN_MS + 3 * STOPS_WITHIN_MS }, async (signal) => {
    await expectSignalStopsEverything(await cliLocal(), localPorts, signal)
  })

  it('takes DynamoDB Local down with it when node is SIGKILLed', { timeout: READY_WITHIN_MS + 30_000 }, async () => {
    await expectSigkillStopsJava(await cliLocal(), localPorts)
  })
})
