import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { adoptTable, repairTable } from '../src/admin/index.js'
import { meterCapacity } from '../src/cli/capacityMeter.js'
import { writeBootcampTable } from '../test/support/bootcampTable.js'
import { clientFor } from './engine.js'
import { fmt, type Figure } from './report.js'

const SECTION = '6. Adopting and repairing a bootcamp table'

/**
 * Figure 6: `adopt` on a table as the bootcamp leaves it (test/support/bootcampTable.ts: its damage mix of rows behind,
 * doubled and lost, 4 to 16 messages a conversation), then again, then `repair --all`: capacity per conversation, and
 * what that means on the bootcamp's 5/5 provisioned table, where capacity, not the engine, sets the pace.
 */
export async function benchAdopt(endpoint: string, options: { conversations: number }): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const meter = meterCapacity(client, { level: 'INDEXES' })
  const tableName = `bench-adopt-${randomUUID().slice(0, 6)}`
  const table = await writeBootcampTable(client, { tableName, extraConversations: Math.max(0, options.conversations - 8) })
  const n = table.conversations.length
  const run = async (work: () => Promise<unknown>) => {
    meter.reset()
    const started = performance.now()
    await work()
    return { ...meter.snapshot(), seconds: (performance.now() - started) / 1000 }
  }
  const first = await run(() => adoptTable({ client, tableName }))
  const again = await run(() => adoptTable({ client, tableName }))
  const repair = await run(() => repairTable({ client, tableName, scope: 'all' }))
  await client.send(new DeleteTableCommand({ TableName: tableName }))
  client.destroy()

  const per = (units: number) => fmt(units / n)
  // On a provisioned table each second refills 5 units of each kind: the slower of the two sets the pace.
  const at5 = (usage: { readUnits: number; writeUnits: number }) => Math.max(usage.readUnits, usage.writeUnits) / 5
  return [
    {
      section: SECTION,
      figure: `adopt, first run, per conversation (${n} conversations, Scan included)`,
      measured: `${per(first.readUnits)} RCU, ${per(first.writeUnits)} WCU`,
      goal: '≤ 5 RCU and ≤ 6 WCU',
      met: first.readUnits / n <= 5 && first.writeUnits / n <= 6
    },
    {
      section: SECTION,
      figure: 'adopt run again (nothing left to do): write units',
      measured: fmt(again.writeUnits),
      goal: '0',
      met: again.writeUnits === 0
    },
    {
      section: SECTION,
      figure: 'repair --all on a repaired table: read units per conversation, write units',
      measured: `${per(repair.readUnits)} RCU, ${fmt(repair.writeUnits)} WCU`,
      goal: '≤ 4 RCU, 0 WCU',
      met: repair.readUnits / n <= 4 && repair.writeUnits === 0
    },
    {
      section: SECTION,
      figure: 'adopt on a 5/5 provisioned table: least time capacity allows, per 1,000 conversations',
      measured: `${fmt((at5(first) / n) * 1000 / 60, 1)} min`,
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
