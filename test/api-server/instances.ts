// The example server and its stream worker as separate processes (`main.ts`, `worker.ts`), configured only by the
// environment, as several instances behind a load balancer run: for the tests of running several instances.
import { inject } from 'vitest'
import { launch, resetPeakRss, rssOf, waitFor, type Launched } from '../support/processes.js'

export interface Instance {
  readonly url: string
  readonly pid: number
  readonly run: Launched
  /** Resident memory now (Linux /proc), in KiB. */
  rssKb(): number
  /** The peak resident memory since the last {@link Instance.resetPeak}, in KiB. */
  peakKb(): number
  /** Starts measuring the peak afresh (`/proc/<pid>/clear_refs`). */
  resetPeak(): void
  /** SIGTERM, and waits for the exit. */
  stop(): Promise<void>
}

/** The environment of every process: DynamoDB Local of the suite, no Cognito, nothing inherited that changes them. */
function baseEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  // DynamoDB Local on 2 shared cores can take longer than the server's 1 s per attempt: a 503 there is not what is tested.
  const env: NodeJS.ProcessEnv = { ...process.env, DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'), DYNAMODB_TIMEOUT_MS: '5000', ...settings }
  for (const name of ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID', 'MOMENTO_API_KEY', 'NODE_ENV', 'FRONTEND_URL', 'BACKEND_URL']) delete env[name]
  return env
}

/** `main.ts` in its own process (`node --import tsx`, one process), ready once it says so. */
export async function startInstance(settings: Record<string, string>): Promise<Instance> {
  const run = launch(process.execPath, ['--import', 'tsx', 'examples/api-server/src/main.ts'], {
    env: baseEnv({ PORT: '0', STREAM_WORKER: 'off', LOG_LEVEL: 'info', ...settings })
  })
  const url = await waitFor('the server to be ready', run, () =>
    run.output.includes('Cruddur messages API ready') ? /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.output)?.[1] : undefined
  )
  const pid = run.child.pid!
  return {
    url,
    pid,
    run,
    rssKb: () => rssOf(pid),
    peakKb: () => rssOf(pid, 'VmHWM'),
    resetPeak: () => resetPeakRss(pid),
    stop: async () => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM')
      await run.exited
    }
  }
}

/** `worker.ts` (`npm run worker`) in its own process, ready once it says so. */
export async function startWorker(settings: Record<string, string>): Promise<Launched> {
  const run = launch(process.execPath, ['--import', 'tsx', 'examples/api-server/src/worker.ts'], { env: baseEnv(settings) })
  await waitFor('the worker to start', run, () => (run.output.includes('Ctrl-C stops it.') ? true : undefined))
  return run
}
