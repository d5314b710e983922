import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inject } from 'vitest'

const BUILT_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url))
/**
 * The built CLI, as `npx dynamo-messaging` runs it: `npm test` builds first; else run `npx tsup`.
 * `CLI_UNDER_TEST` points the suite at another build (a packed package's bin, a mutant).
 */
export const CLI = process.env.CLI_UNDER_TEST ?? BUILT_CLI

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  timeoutMs?: number
}

/** Env for child processes: no endpoint or AWS settings leak in from the developer's shell. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const key of Object.keys(env)) if (key.startsWith('AWS_') || key === 'DYNAMODB_ENDPOINT') delete env[key]
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

/** Runs `node dist/cli.js ...args` with stdin closed (not a TTY) and collects its output. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  assertBuilt()
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: cleanEnv(options.env), timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr
        })
      }
    )
    child.stdin?.end()
  })
}

/** `--endpoint <engine> --table <name>`: the options every table command gets in these tests. */
export const on = (tableName: string): string[] => ['--endpoint', inject('dynamodbEndpoint'), '--table', tableName]

export const uniqueTableName = (label: string): string => `cli-${label}-${randomUUID().slice(0, 8)}`

/** stderr of a failed run: exactly one line, `error: …`. */
export function oneErrorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((line) => line.length > 0)
  if (lines.length !== 1 || !lines[0]!.startsWith('error: ')) {
    throw new Error(`expected one "error: …" line on stderr, got:\n${result.stderr}`)
  }
  return lines[0]!
}

/**
 * Stands in for AWS with `--prod`: the SDK's standard `AWS_ENDPOINT_URL_DYNAMODB` points there (see {@link awsEnv}),
 * and every request is counted and refused, to prove a command contacted nothing. `regions()` are the regions the
 * requests were signed for (the credential scope of their `Authorization` header): the region the client used.
 */
export async function awsTrap(): Promise<{ url: string; requests: () => number; regions: () => string[]; close: () => Promise<void> }> {
  const regions: string[] = []
  const server: Server = createServer((request, response) => {
    regions.push(/Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '')
    response.writeHead(500).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => regions.length,
    regions: () => [...new Set(regions)],
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

/**
 * The environment of `--prod` against `endpoint` (a trap, or DynamoDB Local standing in for AWS), in region
 * us-east-1. The developer's own AWS config and credentials files are never read.
 */
export const awsEnv = (endpoint: string) => ({
  AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/nonexistent/aws/config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
  AWS_EC2_METADATA_DISABLED: 'true'
})

let checked = false
/**
 * No build: fail with the fix. A CLI source newer than the build: warn, since the results may be the old code's (only
 * a warning: a formatter touching files in a shared tree must not fail the suite).
 */
function assertBuilt(): void {
  if (checked || CLI !== BUILT_CLI) return
  if (!existsSync(CLI) || readFileSync(CLI, 'utf8').includes('not built yet')) {
    throw new Error('dist/cli.js is missing or the placeholder: run `npx tsup` (or `npm test`, which builds first)')
  }
  const builtAt = statSync(CLI).mtimeMs
  const cliSources = fileURLToPath(new URL('../../src/cli/', import.meta.url))
  const stale = sourcesUnder(cliSources).find((file) => statSync(file).mtimeMs > builtAt)
  if (stale) console.warn(`dist/cli.js is older than ${stale}; these tests may run old code: \`npx tsup\` rebuilds it`)
  checked = true
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}
