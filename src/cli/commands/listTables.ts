import type { Command } from 'commander'
import { resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { describeTarget } from '../errors.js'
import { note, print, printJson } from '../output.js'
import { plural } from '../format.js'

/** `list-tables`: every table name, one a line (all pages of ListTables). */
export function registerListTables(program: Command): void {
  withConnectionOptions(
    program
      .command('list-tables')
      .summary('list the tables')
      .description('list the tables at the endpoint (or in the AWS region with --prod); --table is ignored')
      .option('--json', 'print a JSON array')
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging list-tables')
    .action(async (options: { json?: boolean }, command: Command) => {
      const target = resolveTarget(command)
      const names = await withClient(target, async (client) => {
        const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb')
        const all: string[] = []
        let ExclusiveStartTableName: string | undefined
        do {
          const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName }))
          all.push(...(page.TableNames ?? []))
          ExclusiveStartTableName = page.LastEvaluatedTableName
        } while (ExclusiveStartTableName)
        return all
      })
      if (options.json) printJson(names)
      else for (const name of names) print(name)
      note(`${plural(names.length, 'table')} at ${describeTarget(target)}`)
    })
}
