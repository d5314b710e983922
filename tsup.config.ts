import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', local: 'src/local/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  sourcemap: true,
  // Dependencies and peer dependencies stay external (tsup's default); the AWS SDK comes from the user or the runtime.
  splitting: true,
  treeshake: true
})
