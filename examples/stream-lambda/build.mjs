// Bundles the example handler for the nodejs22.x / nodejs24.x runtimes: ESM, minified, the AWS SDK left external
// (the runtime ships it). Run after the library's own build: `npm run build && node examples/stream-lambda/build.mjs`.
// Code split: dist/index.mjs is the handler; what only a function with REDIS_URL loads (ioredis, the cache and events
// entries) is a chunk beside it, imported at cold start only then. Deploy the whole dist/ directory.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const outdir = here('./dist')
rmSync(outdir, { recursive: true, force: true })
const { metafile } = await build({
  entryPoints: [here('./src/index.ts')],
  outdir,
  bundle: true,
  splitting: true,
  minify: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  outExtension: { '.js': '.mjs' },
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@aws-sdk/*'],
  // ioredis is CommonJS: give the ESM bundle a require() for the Node built-ins it asks for.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  metafile: true
})
for (const file of Object.keys(metafile.outputs).filter((name) => name.endsWith('.mjs'))) {
  const code = readFileSync(file)
  console.log(`${file}: ${code.length} bytes, ${gzipSync(code).length} bytes gzipped`)
}
