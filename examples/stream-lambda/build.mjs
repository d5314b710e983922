// Bundles the example handler for the nodejs22.x / nodejs24.x runtimes: ESM, minified, the AWS SDK left external
// (the runtime ships it). Run after the library's own build: `npm run build && node examples/stream-lambda/build.mjs`.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const outfile = here('./dist/index.mjs')
await build({
  entryPoints: [here('./src/index.ts')],
  outfile,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  external: ['@aws-sdk/*'],
  legalComments: 'none'
})
const code = readFileSync(outfile)
console.log(`${outfile}: ${code.length} bytes, ${gzipSync(code).length} bytes gzipped`)
