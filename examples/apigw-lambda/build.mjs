// Bundles the Lambda functions of the API Gateway example for the nodejs22.x / nodejs24.x runtimes: dist/index.mjs
// (http, connect, disconnect) and dist/push/index.mjs (the stream function of examples/websocket-push: Pattern D and
// the push). ESM, minified, the AWS SDK left external (the runtime ships it). Run after the library's own build:
// `npm run build && node examples/apigw-lambda/build.mjs`.
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const options = { bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node22', external: ['@aws-sdk/*'], legalComments: 'none' }
await build({ ...options, entryPoints: [here('./src/index.ts')], outfile: here('./dist/index.mjs') })
await build({ ...options, entryPoints: [here('../websocket-push/streamHandler.ts')], outfile: here('./dist/push/index.mjs') })
console.log(`built ${here('./dist')}`)
