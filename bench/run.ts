// `npm run bench` (full) or `npm run bench -- --quick` (CI): every figure beside its goal, written to
// docs/benchmarks.md (docs/benchmarks.quick.md in quick mode). `--only=billed,code` runs those sections and prints
// them without writing a file; with `--write` too, it replaces those sections in the file (marked as such).
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { openEngine } from './engine.js'
import { replaceSections, toMarkdown, type Figure } from './report.js'

const quick = process.argv.includes('--quick')
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',')
const out = quick ? 'docs/benchmarks.quick.md' : 'docs/benchmarks.md'

/** The sections in the order they are reported; each module is loaded when its section runs. */
const sections: Array<{ name: string; run: (endpoint: string) => Promise<Figure[]> | Figure[] }> = [
  { name: 'capacity', run: async (at) => (await import('./capacity.js')).benchCapacity(at) },
  {
    name: 'readScaling',
    run: async (at) => (await import('./readScaling.js')).benchReadScaling(at, quick ? { messages: 5_000, conversations: 100, samples: 10 } : { messages: 100_000, conversations: 1_000, samples: 50 })
  },
  { name: 'overhead', run: async (at) => (await import('./overhead.js')).benchOverhead(at, { iterations: quick ? 20 : 200 }) },
  { name: 'reducer', run: async () => (await import('./reducer.js')).benchReducer(quick ? { records: 2_000, rounds: 5 } : { records: 10_000, rounds: 20 }) },
  { name: 'coldStart', run: async () => (await import('./coldStart.js')).benchColdStart({ samples: quick ? 3 : 15 }) },
  { name: 'adopt', run: async (at) => (await import('./adopt.js')).benchAdopt(at, { conversations: quick ? 40 : 400 }) },
  {
    name: 'cache',
    run: async (at) => (await import('./cache.js')).benchCache(at, quick ? { rounds: 10, readsPerSend: 20, samples: 50 } : { rounds: 100, readsPerSend: 20, samples: 300 })
  },
  { name: 'unread', run: async (at) => (await import('./unread.js')).benchUnread(at, { conversations: quick ? 200 : 2_000 }) },
  { name: 'livePush', run: async (at) => (await import('./livePush.js')).benchLivePush(at, quick ? { tabs: 50, samples: 5 } : { tabs: 500, samples: 30 }) },
  { name: 'resilience', run: async (at) => (await import('./resilience.js')).benchResilience(at, { samples: quick ? 1 : 5 }) },
  { name: 'billed', run: async (at) => (await import('./billed.js')).benchBilled(at, { conversations: quick ? 15 : 150, windows: [0.25, 2, 5, 10, 30] }) },
  { name: 'code', run: async () => (await import('./patternDCode.js')).benchPatternDCode() },
  {
    name: 'groups',
    run: async (at) =>
      (await import('./groups.js')).benchGroups(
        at,
        quick ? { fanOutMembers: 20, burstMembers: 50, largeMembers: 100, conversations: 60 } : { fanOutMembers: 100, burstMembers: 100, largeMembers: 1_000, conversations: 500 }
      )
  }
]
const selected = sections.filter((section) => !only || only.includes(section.name))
if (only && selected.length !== only.length) throw new Error(`--only: sections are ${sections.map((s) => s.name).join(', ')}`)

// The in-process throughput first: the engine benchmarks run the same planning code on rows of many shapes, which
// leaves V8's caches for it polymorphic and would measure that history rather than the reducer.
const order = [...selected].sort((a, b) => Number(b.name === 'reducer') - Number(a.name === 'reducer'))
const engine = await openEngine()
const results = new Map<string, Figure[]>()
const failed: string[] = []
try {
  for (const section of order) {
    try {
      results.set(section.name, await section.run(engine.endpoint))
    } catch (error) {
      // One broken section must not hide the others' figures; the run still fails at the end.
      failed.push(section.name)
      console.error(`section ${section.name} failed:`, error)
      // The first line of the error, with paths made relative to the repository (the report is committed).
      const message = String(error).split('\n')[0]!.replaceAll(`${process.cwd()}/`, '').slice(0, 200)
      results.set(section.name, [{ section: `${section.name} (failed)`, figure: 'the section threw', measured: message, goal: 'runs', met: false }])
    }
  }
} finally {
  await engine.local?.stop()
}

const figures = selected.flatMap((section) => results.get(section.name) ?? [])
if (!only) {
  const environment = `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, DynamoDB Local 3.3 in memory`
  writeFileSync(out, toMarkdown(figures, { command: quick ? 'npm run bench -- --quick' : 'npm run bench', quick, environment }))
}
const write = !only || process.argv.includes('--write')
if (only && write) {
  const command = `npx tsx bench/run.ts${quick ? ' --quick' : ''} --only=${only.join(',')} --write`
  writeFileSync(out, replaceSections(readFileSync(out, 'utf8'), figures, `This section alone was produced by \`${command}\`${quick ? ' (quick mode)' : ''}.`))
}
for (const f of figures) console.log(`${f.met === false ? 'MISS' : f.met ? 'ok  ' : '    '} ${f.figure}: ${f.measured} (goal ${f.goal})`)
if (write) console.log(`\nwritten to ${out}`)
// Goals are reported, not enforced: a missed goal is a finding to read, not a broken build. Errors still fail.
if (failed.length > 0) {
  console.error(`\nsections that failed: ${failed.join(', ')}`)
  process.exitCode = 1
}
