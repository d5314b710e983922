import { randomUUID } from 'node:crypto'
import { afterAll } from 'vitest'
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { writeBootcampTable, type BootcampTable, type BootcampTableOptions } from './bootcampTable.js'
import { engineClient } from './engine.js'

/**
 * For one test file: a client, and fresh bootcamp tables named `<prefix>-<label>-<random>`, all dropped (and the client
 * closed) after the file's tests. Call it at the top level of the test module.
 */
export function bootcampTables(prefix: string) {
  const client = engineClient()
  const tables: string[] = []
  afterAll(async () => {
    for (const TableName of tables) await client.send(new DeleteTableCommand({ TableName })).catch(() => undefined)
    client.destroy()
  })
  const bootcamp = (label: string, options: Omit<BootcampTableOptions, 'tableName'> = {}): Promise<BootcampTable> => {
    const tableName = `${prefix}-${label}-${randomUUID().slice(0, 8)}`
    tables.push(tableName)
    return writeBootcampTable(client, { tableName, ...options })
  }
  /** Registers a table made another way, to be dropped with the others. */
  const track = (tableName: string) => void tables.push(tableName)
  return { client, bootcamp, track }
}
