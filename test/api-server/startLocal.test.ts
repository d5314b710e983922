// `npm start` as a developer runs it: one command brings up DynamoDB Local, the seeded table and the API; Ctrl-C
// (SIGINT) takes it all down, leaving no Java process behind. Run as the npm script does, `node --import tsx …`: one
// process (the `tsx` CLI wrapper SIGKILLs its child if it does not acknowledge a relayed signal within 30 ms, which
// under load skips the clean-up). SIGINT goes to that process only, so the clean-up, not the terminal, must stop Java.
import { afterEach, expect, it } from 'vitest'
import { isGone, javaUnder, killLaunched, launch, waitFor } from '../support/processes.js'
import { callFor } from './support.js'

const javaPids: number[] = []
afterEach(() => killLaunched(javaPids.splice(0))) // only if a test failed half-way: never leave our processes behind

/** Starts `npm start`'s program; `output` accumulates stdout and stderr. */
function startLocal() {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'warn' }
  delete env.COGNITO_USER_POOL_ID
  delete env.COGNITO_CLIENT_ID
  delete env.FRONTEND_URL
  delete env.BACKEND_URL
  return launch(process.execPath, ['--import', 'tsx', 'examples/api-server/src/startLocal.ts'], { env })
}

const alive = (pid: number) => !isGone(pid)

it('starts DynamoDB Local, seeds, serves, and stops everything on SIGINT', { timeout: 45_000 }, async () => {
  const run = startLocal()
  const url = await waitFor('URL', run, () => /listening on (http:\/\/\S+)/.exec(run.output)?.[1], 30_000)
  expect(run.output).toContain("curl -s -H 'Authorization: Bearer dev:ada'")
  // The chat page's URL is the first thing printed once up, and it serves the page.
  expect(run.output.split('\n').find((line) => line.includes('http://'))).toBe(`Chat page: ${url}/  (open it in two windows, sign in as ada in one and ben in the other)`)
  expect(await (await fetch(`${url}/`)).text()).toContain('<title>Cruddur messages</title>')
  const java = javaUnder(run.child.pid!)
  expect(java).toHaveLength(1)
  javaPids.push(...java)

  const groups = await callFor(url)('GET', '/api/message_groups', { as: 'ada', headers: { origin: 'http://localhost:3000' } })
  expect(groups.status).toBe(200)
  // The bootcamp front end's origin is allowed by default under `npm start`.
  expect(groups.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
  expect(run.output).toContain('Browsers may call it from http://localhost:3000')
  expect(groups.body.map((g: { handle: string }) => g.handle).sort()).toEqual(['ben', 'dana'])
  // The in-memory cache: the same messages again are a hit, and it says so. (Conversation lists would miss a while: the
  // stream worker refreshes them as it goes through the seeded messages.)
  expect(run.output).toMatch(/Cache: in memory/)
  const messages = `/api/messages/${/\/api\/messages\/([0-9a-f-]{36})/.exec(run.output)![1]}`
  const page = await callFor(url)('GET', messages, { as: 'ada' })
  expect((await callFor(url)('GET', messages, { as: 'ada' })).body).toEqual(page.body)
  await waitFor('a cache hit line', run, () => (/\[cache\] hit {2}A /.test(run.output) ? true : undefined), 5_000)

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
  }, 30_000)
  javaPids.push(...java)
  run.child.kill('SIGINT') // the JVM takes seconds to answer: this lands before the engine is up
  expect(await run.exited).toEqual({ code: 0, signal: null })
  expect(run.output).not.toContain('listening on')
  expect(java.filter(alive)).toEqual([])
})
