// The sample outputs in docs/cli.md and docs/api-server.md are what the seeded table gives, so they cannot drift from
// the code: each is produced here by running the documented command, and compared (times, ULIDs, random uuids and
// cursors masked; see docSamples.ts). After a change to what the seed or a command prints, regenerate them with
//   UPDATE_DOC_SAMPLES=1 npx vitest run test/docs/samples.test.ts
// and review the diff.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { SAMPLE_USERS, seedSampleConversations } from 'dynamo-messaging/local'
import { messageGroupUuidFor } from 'dynamo-messaging'
import { startTestApi } from '../api-server/support.js'
import { on, runCli, uniqueTableName } from '../cli/runCli.js'
import { cutLike, formatJson, masked, readSamples, shellCommands, shellWords, writeSamples, type Sample } from './docSamples.js'

const UPDATE = process.env.UPDATE_DOC_SAMPLES === '1'
const doc = (name: string) => fileURLToPath(new URL(`../../docs/${name}`, import.meta.url))

/** The uuids a seeded table always holds: the sample users and their conversations. Everything else is random. */
const users = Object.values(SAMPLE_USERS)
const seededConversations = [
  [SAMPLE_USERS.ada, SAMPLE_USERS.ben],
  [SAMPLE_USERS.cleo, SAMPLE_USERS.dana],
  [SAMPLE_USERS.ben, SAMPLE_USERS.cleo],
  [SAMPLE_USERS.dana, SAMPLE_USERS.ada]
].map(([a, b]) => messageGroupUuidFor(a!.uuid, b!.uuid))
const KNOWN = new Set([...users.map((user) => user.uuid), ...seededConversations])

const maskLines = (lines: readonly string[]) => masked(lines.join('\n'), KNOWN).split('\n')

/**
 * Checks (or, with UPDATE_DOC_SAMPLES=1, rewrites) every sample of `file` against `outputs` (one per sample, the
 * lines the docs would show).
 */
function checkSamples(file: string, samples: readonly Sample[], outputs: ReadonlyArray<readonly string[]>): void {
  const shaped = samples.map((sample, i) => (sample.lang === '' ? cutLike(sample.lines, outputs[i]!) : [...outputs[i]!]))
  if (UPDATE) {
    writeSamples(file, samples, shaped)
    return // the next run, without UPDATE_DOC_SAMPLES, checks what was written
  }
  for (const [i, sample] of samples.entries()) {
    const where = `${file}:${sample.start} (${sample.command})`
    expect(maskLines(shaped[i]!), where).toEqual(maskLines(sample.lines))
  }
}

describe('docs/cli.md', () => {
  const file = doc('cli.md')
  const markdown = readFileSync(file, 'utf8')
  const samples = readSamples(markdown)
  // The commands a newcomer pastes ("Getting started"): they run here in that order, and the samples come from them.
  const lines = markdown.split('\n')
  const runStart = lines.indexOf('<!-- the samples below come from these commands, run in this order on a new table -->')
  const run = shellCommands(lines.slice(runStart + 2, lines.indexOf('```', runStart + 2)))
  const tableName = uniqueTableName('docs')

  it('runs the getting-started commands as written, and every sample is the output of one of them', async () => {
    expect(runStart, 'the marker of the getting-started block').toBeGreaterThan(0)
    expect(samples.length).toBeGreaterThan(0)
    const outputs = new Map<string, string[]>()
    const endpoint = inject('dynamodbEndpoint')
    for (const command of run) {
      const [npx, bin, ...args] = shellWords(command)
      expect([npx, bin], command).toEqual(['npx', 'dynamo-messaging'])
      const result = await runCli([...args, ...on(tableName)])
      expect(result.code, `${command}: ${result.stderr}`).toBe(0)
      const text = `${result.stdout}${result.stderr}`.replaceAll(endpoint, 'http://localhost:8000').replaceAll(tableName, 'cruddur-messages')
      outputs.set(command, text.trimEnd().split('\n'))
    }
    for (const sample of samples) expect(run, `the sample of "${sample.command}" is not the output of a getting-started command`).toContain(sample.command)
    checkSamples(file, samples, samples.map((sample) => outputs.get(sample.command)!))
  })
})

describe('docs/api-server.md', () => {
  const file = doc('api-server.md')
  const samples = readSamples(readFileSync(file, 'utf8'))
  let api: Awaited<ReturnType<typeof startTestApi>> | undefined
  afterAll(async () => api?.close())

  it("answers each documented request as its sample shows, on the seed's table", async () => {
    expect(samples.length).toBeGreaterThan(0)
    api = await startTestApi('docs')
    await seedSampleConversations({ client: api.client, tableName: api.tableName })
    const outputs: string[][] = []
    for (const sample of samples) outputs.push(await answer(api.url, sample))
    checkSamples(file, samples, outputs)
  })
})

describe('ids in the docs', () => {
  it.each(['cli.md', 'api-server.md'])('every uuid in the commands of docs/%s is one a seeded table holds', (name) => {
    const markdown = readFileSync(doc(name), 'utf8')
    const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)
    const uuids = blocks.flatMap((block) => block.match(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g) ?? [])
    expect(uuids.length).toBeGreaterThan(0)
    expect(uuids.filter((uuid) => !KNOWN.has(uuid))).toEqual([])
  })
})

/**
 * Sends the sample's curl command to the server at `url` (instead of `http://127.0.0.1:4567`): `-X`, `-H`, `-d` and
 * `-i` as curl reads them. The answer as the docs show it: the JSON body, or with `-i` the status line, the headers the
 * sample shows, a blank line and the body.
 */
async function answer(url: string, sample: Sample): Promise<string[]> {
  const [curl, ...words] = shellWords(sample.command)
  expect(curl, sample.command).toBe('curl')
  const headers: Record<string, string> = {}
  let method = 'GET'
  let body: string | undefined
  let target = ''
  let withHeaders = false
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!
    if (word === '-s') continue
    else if (word === '-i') withHeaders = true
    else if (word === '-X') method = words[++i]!
    else if (word === '-H') {
      const [name, ...value] = words[++i]!.split(':')
      headers[name!.trim().toLowerCase()] = value.join(':').trim()
    } else if (word === '-d') {
      body = words[++i]!
      if (method === 'GET') method = 'POST'
      headers['content-type'] ??= 'application/x-www-form-urlencoded'
    } else if (word.startsWith('http')) target = word.replace('http://127.0.0.1:4567', url)
    else throw new Error(`${sample.command}: the test does not know curl's ${word}`)
  }
  const response = await fetch(target, { method, headers, ...(body !== undefined && { body }) })
  const json = formatJson(JSON.parse(await response.text()))
  if (!withHeaders) return json
  const shown = sample.lines.slice(1, sample.lines.indexOf('')).map((line) => line.split(':')[0]!.toLowerCase())
  return [
    `HTTP/1.1 ${response.status} ${response.statusText}`,
    ...shown.map((name) => `${name}: ${response.headers.get(name) ?? '(none)'}`),
    '',
    ...json
  ]
}
