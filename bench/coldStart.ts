import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { fmt, median, type Figure } from './report.js'

const SECTION = '5. Lambda cold start: the example stream Lambda'

/** Figure 5: bundle size (minified, gzipped, SDK external) and module load time against the SDK client alone. */
export function benchColdStart(options: { samples: number }): Figure[] {
  execFileSync('node', ['examples/stream-lambda/build.mjs'], { stdio: 'ignore' })
  const bundlePath = `${process.cwd()}/examples/stream-lambda/dist/index.mjs`
  const bundle = readFileSync(bundlePath)
  const gzipped = gzipSync(bundle).length

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
      figure: 'bundle size, minified + gzipped, AWS SDK external',
      measured: `${fmt(gzipped / 1024, 1)} KB (${fmt(bundle.length / 1024, 1)} KB minified)`,
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
