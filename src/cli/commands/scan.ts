import type { Command } from 'commander'
import { meterCapacity } from '../capacityMeter.js'
import { integerOption, resolveTarget, withClient, withConnectionOptions } from '../connection.js'
import { formatCapacity, plural } from '../format.js'
import { note, print, printJson } from '../output.js'
import { renderItems } from '../views.js'

/** `scan`: every item of the table. Unlike the seeds' script it follows `LastEvaluatedKey` past the 1 MB page. */
export function registerScan(program: Command): void {
  withConnectionOptions(
    program
      .command('scan')
      .summary('print every item of the table')
      .description('print every item of the table (all pages), as a table or as JSON; reads the whole table')
      .option('--json', 'print the items as a JSON array, attributes as stored')
      .option('--page-size <n>', 'items per Scan request (default: up to 1 MB per request)', integerOption(1, 1_000_000))
  )
    .addHelpText('after', '\nExample:\n  $ npx dynamo-messaging scan\n  $ npx dynamo-messaging scan --json > items.json')
    .action(async (options: { json?: boolean; pageSize?: number }, command: Command) => {
      const target = resolveTarget(command)
      const { items, pages, usage } = await withClient(target, async (client) => {
        const meter = meterCapacity(client)
        const { DynamoDBDocumentClient, ScanCommand } = await import('@aws-sdk/lib-dynamodb')
        const doc = DynamoDBDocumentClient.from(client)
        const all: Record<string, unknown>[] = []
        let pageCount = 0
        let ExclusiveStartKey: Record<string, unknown> | undefined
        do {
          const page = await doc.send(
            new ScanCommand({ TableName: target.tableName, ExclusiveStartKey, ...(options.pageSize && { Limit: options.pageSize }) })
          )
          all.push(...(page.Items ?? []))
          pageCount++
          ExclusiveStartKey = page.LastEvaluatedKey
        } while (ExclusiveStartKey)
        return { items: all, pages: pageCount, usage: meter.snapshot() }
      })
      if (options.json) printJson(items)
      else if (items.length > 0) print(renderItems(items))
      note(`${plural(items.length, 'item')} in ${target.tableName} (${plural(pages, 'page')})`)
      note(formatCapacity(usage))
    })
}
