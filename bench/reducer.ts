import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { AttributeValue } from '@aws-sdk/client-dynamodb'
import { build } from 'esbuild'
import type { applyStreamRecord as ApplyStreamRecord, DynamoDBStreamRecord, MessageRange, StoredMessageGroupRow } from '../src/index.js'
import { fmt, median, type Figure } from './report.js'

const SECTION = '4. applyStreamRecord throughput in process'

/**
 * The stream entry point bundled as the package ships it (esbuild, as tsup does), not through tsx, whose transform
 * names every closure a call creates and would measure that instead.
 */
async function shippedApplyStreamRecord(): Promise<typeof ApplyStreamRecord> {
  const entry = fileURLToPath(new URL('../src/stream/index.ts', import.meta.url))
  const { outputFiles } = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, external: ['@aws-sdk/*'] })
  // Inside the repository (gitignored), so that the bundle resolves the SDK from its node_modules.
  const folder = fileURLToPath(new URL('../.bench-tmp/', import.meta.url))
  mkdirSync(folder, { recursive: true })
  const file = join(folder, `stream-${process.pid}.mjs`)
  writeFileSync(file, outputFiles[0]!.text)
  try {
    return ((await import(pathToFileURL(file).href)) as { applyStreamRecord: typeof ApplyStreamRecord }).applyStreamRecord
  } finally {
    rmSync(file) // loaded: the module stays in memory
  }
}

/**
 * Figure 4: records per second through applyStreamRecord (with a conversation's two rows and the messages it reads, so
 * each call decides two row writes) against plain unmarshall.
 */
export async function benchReducer(options: { records: number; rounds: number }): Promise<Figure[]> {
  const applyStreamRecord = await shippedApplyStreamRecord()
  const group = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
  // Both members' rows at the conversation's first message, read up to it: every record moves them, and counts.
  const first = '2026-01-01T00:00:00.000Z#01AAAAAAAAAAAAAAAAAAAAAAAA'
  const skOf = (i: number) => `2026-01-01T00:${String(1 + (Math.floor(i / 60) % 59)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z#01${String(i).padStart(24, '0')}`
  const rows: StoredMessageGroupRow[] = ['a', 'b'].map((owner) => ({
    pk: `GRP#${owner}`,
    sk: `MSG#${group}`,
    last_sk: first,
    message: 'old',
    user_uuid: owner === 'a' ? 'b' : 'a',
    user_display_name: 'X',
    user_handle: 'x',
    last_read_sk: first,
    unread_count: 0,
    rev: 1
  }))
  const records: DynamoDBStreamRecord[] = Array.from({ length: options.records }, (_, i) => ({
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(i),
      NewImage: {
        pk: { S: `MSG#${group}` },
        sk: { S: skOf(i) },
        message_uuid: { S: '00000000-0000-4000-8000-000000000001' },
        message: { S: `message number ${i}` },
        user_uuid: { S: 'b' },
        user_display_name: { S: 'Bob' },
        user_handle: { S: 'bob' }
      }
    }
  }))
  // With the range a read outcome asks for (the record's message, from Bob), so that each call decides its writes.
  const ranges: MessageRange[] = records.map((_, i) => ({ after: first, through: skOf(i), messages: [{ sk: skOf(i), user_uuid: 'b', message: `message number ${i}` }] }))
  // Each candidate gets its own loop: a loop shared through a callback would be optimised for whichever ran first.
  // Trials alternate and each side keeps its median, so warm-up and noise hit both alike.
  const seconds = (since: number) => (performance.now() - since) / 1000
  const total = options.records * options.rounds
  const rates = { read: [] as number[], write: [] as number[], baseline: [] as number[] }
  for (let trial = 0; trial < 7; trial++) {
    let start = performance.now()
    for (let round = 0; round < options.rounds; round++) for (const record of records) applyStreamRecord(record, rows)
    rates.read.push(total / seconds(start))
    start = performance.now()
    for (let round = 0; round < options.rounds; round++) for (const [i, record] of records.entries()) applyStreamRecord(record, rows, ranges[i])
    rates.write.push(total / seconds(start))
    start = performance.now()
    for (let round = 0; round < options.rounds; round++) {
      for (const record of records) unmarshall(record.dynamodb!.NewImage as Record<string, AttributeValue>)
    }
    rates.baseline.push(total / seconds(start))
  }
  const baseline = median(rates.baseline)
  const figure = (what: string, rate: number, goal?: number): Figure => ({
    section: SECTION,
    figure: `records per second, applyStreamRecord / unmarshall: ${what}`,
    measured: `${fmt(rate / 1000, 0)}k / ${fmt(baseline / 1000, 0)}k = ${fmt(rate / baseline)}×`,
    goal: goal === undefined ? 'reported' : `≥ ${goal}×`,
    ...(goal !== undefined && { met: rate / baseline >= goal })
  })
  return [figure('the rows alone (outcome: the messages to read)', median(rates.read)), figure('with the messages read (outcome: two row updates)', median(rates.write), 0.5)]
}
