import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { adoptTable, repairTable } from '../src/admin/index.js'
import { writeBootcampTable } from '../test/support/bootcampTable.js'
import { writeLibrary02Table } from '../test/support/library02Table.js'
import { recordRequests } from './billing/recordRequests.js'
import { clientFor } from './engine.js'
import { fmt, type Figure } from './report.js'

const SECTION = '6. Adopting and repairing a table'

/**
 * Figure 6: `adopt` on a table as the bootcamp leaves it (test/support/bootcampTable.ts: its damage mix of rows behind,
 * doubled and lost, 4 to 16 messages a conversation) and on one this library's 0.2 left (test/support/library02Table.ts),
 * then again, then `repair --all` on the adopted table: units per conversation as DynamoDB bills them (every request
 * recorded and billed by its rules, the Scan included; bench/billing), and what that means on the bootcamp's 5/5
 * provisioned table, where capacity, not the engine, sets the pace.
 */
export async function benchAdopt(endpoint: string, options: { conversations: number }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const probe = clientFor(endpoint)
  const recorder = recordRequests(client, probe)
  const run = async (work: () => Promise<unknown>) => {
    recorder.reset()
    const started = performance.now()
    await work()
    const seconds = (performance.now() - started) / 1000
    return { ...(await recorder.bill()), seconds }
  }
  const tableName = `bench-adopt-${randomUUID().slice(0, 6)}`
  const table = await writeBootcampTable(client, { tableName, extraConversations: Math.max(0, options.conversations - 8) })
  const n = table.conversations.length
  const first = await run(() => adoptTable({ client, tableName }))
  const again = await run(() => adoptTable({ client, tableName }))
  const repair = await run(() => repairTable({ client, tableName, scope: 'all' }))
  const library02 = `bench-adopt02-${randomUUID().slice(0, 6)}`
  const fixture = await writeLibrary02Table(client, { tableName: library02 })
  const from02 = await run(() => adoptTable({ client, tableName: library02 }))
  const m = fixture.conversations.length
  for (const name of [tableName, library02]) await client.send(new DeleteTableCommand({ TableName: name }))
  client.destroy()
  probe.destroy()

  const per = (units: number, count = n) => fmt(units / count)
  // On a provisioned table each second refills 5 units of each kind: the slower of the two sets the pace.
  const at5 = (usage: { readUnits: number; writeUnits: number }) => Math.max(usage.readUnits, usage.writeUnits) / 5
  return [
    {
      section: SECTION,
      figure: `adopt of a bootcamp table, per conversation (${n} conversations, the Scan included), as DynamoDB bills it`,
      measured: `${per(first.readUnits)} RCU, ${per(first.writeUnits)} WCU (${per(first.tableWriteUnits)} of them the transaction's)`,
      goal: '≤ 6 RCU and ≤ 18 WCU',
      met: first.readUnits / n <= 6 && first.writeUnits / n <= 18
    },
    {
      section: SECTION,
      figure: `adopt of a table 0.2 made, per conversation (${m} conversations, one with 104 messages)`,
      measured: `${per(from02.readUnits, m)} RCU, ${per(from02.writeUnits, m)} WCU`,
      goal: '≤ 8 RCU and ≤ 24 WCU',
      met: from02.readUnits / m <= 8 && from02.writeUnits / m <= 24
    },
    {
      section: SECTION,
      figure: 'adopt run again (nothing left to do): write units; read units per conversation (the Scan)',
      measured: `${fmt(again.writeUnits)} WCU, ${per(again.readUnits)} RCU`,
      goal: '0 WCU, ≤ 0.5 RCU',
      met: again.writeUnits === 0 && again.readUnits / n <= 0.5
    },
    {
      section: SECTION,
      figure: 'repair --all on an adopted table: read units per conversation, write units',
      measured: `${per(repair.readUnits)} RCU, ${fmt(repair.writeUnits)} WCU`,
      goal: '≤ 4 RCU, 0 WCU',
      met: repair.readUnits / n <= 4 && repair.writeUnits === 0
    },
    {
      section: SECTION,
      figure: 'adopt of a bootcamp table on a 5/5 provisioned table: least time capacity allows, per 1,000 conversations',
      measured: `${fmt(((at5(first) / n) * 1000) / 60, 1)} min`,
      goal: 'reported',
      met: undefined
    },
    {
      section: SECTION,
      figure: 'adopt on DynamoDB Local (capacity unlimited), per 1,000 conversations',
      measured: `${fmt((first.seconds / n) * 1000, 1)} s`,
      goal: 'reported',
      met: undefined
    }
  ]
}
