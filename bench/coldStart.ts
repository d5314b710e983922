import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fmt, median, type Figure } from './report.js'

const SECTION = '5. Lambda cold start: the example stream Lambda'

/** Figure 5: bundle size (minified, gzipped, SDK external) and module load time against the SDK client alone. */
export function benchColdStart(options: { samples: number }): Figure[] {
  execFileSync('node', ['examples/stream-lambda/build.mjs'], { stdio: 'ignore' })
  const bundlePath = `${process.cwd()}/examples/stream-lambda/dist/index.mjs`
  // The handler and the chunks it imports statically: what every cold start loads. The chunk it imports only with
  // REDIS_URL (ioredis, the cache and events entries) is reported apart.
  const entry = readFileSync(bundlePath)
  const chunk = (name: string) => readFileSync(`${process.cwd()}/examples/stream-lambda/dist/${name}`)
  const loaded = [entry, ...[...entry.toString().matchAll(/from"\.\/(chunks\/[^"]+)"/g)].map((match) => chunk(match[1]!))]
  const bundle = Buffer.concat(loaded)
  const gzipped = loaded.reduce((sum, code) => sum + gzipSync(code).length, 0)
  const withRedis = [...entry.toString().matchAll(/import\("\.\/(chunks\/[^"]+)"\)/g)].map((match) => gzipSync(chunk(match[1]!)).length)

  // Each sample is a fresh process, as a cold start is; the script times only the import.
  const loadMs = (specifier: string) =>
    median(
      Array.from({ length: options.samples }, () =>
        Number(
          execFileSync(
            'node',
            ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t))`],
            { env: { ...process.env, TABLE_NAME: 'cold-start', AWS_REGION: 'us-east-1' } }
          ).toString()
        )
      )
    )
  const sdkAlone = loadMs('@aws-sdk/client-dynamodb')
  const handler = loadMs(bundlePath)
  return [
    {
      section: SECTION,
      figure: 'bundle size, minified + gzipped, AWS SDK external (the handler and the chunks every cold start loads)',
      measured: `${fmt(gzipped / 1024, 1)} KB (${fmt(bundle.length / 1024, 1)} KB minified); with REDIS_URL also ${fmt(withRedis.reduce((a, b) => a + b, 0) / 1024, 1)} KB gzipped (ioredis, cache, events)`,
      goal: '≤ 20 KB gzipped',
      met: gzipped <= 20 * 1024
    },
    {
      section: SECTION,
      figure: 'module load time: handler bundle (with the SDK it imports) / SDK client alone',
      measured: `${fmt(handler)} ms / ${fmt(sdkAlone)} ms = ${fmt(handler / sdkAlone)}× (median of ${options.samples} fresh processes)`,
      goal: 'reported',
      met: undefined
    }
  ]
}
