import { recordRequests } from './billing/recordRequests.js'
import { measureOurs, measureSeeds, type Measured } from './billing/scenarios.js'
import { clientFor, createTable } from './engine.js'
import { fmt, type Figure } from './report.js'
import { createSeedsTable } from './seedsAlgorithm.js'

const SECTION = "1. Capacity units per message as DynamoDB Local reports them, this library against the seeds' algorithm"

/**
 * Figure 1: one message into a two-person conversation, and a burst of 100 as one stream batch, send and stream
 * fan-out together, in DynamoDB Local's own `ReturnConsumedCapacity: INDEXES` figures (section 11 bills the same
 * requests by DynamoDB's rules; with no transaction left, the two agree).
 */
export async function benchCapacity(endpoint: string): Promise<Figure[]> {
  const client = clientFor(endpoint)
  const probe = clientFor(endpoint)
  const recorder = recordRequests(client, probe)
  const ours = { client, recorder, tableName: await createTable(client, 'capacity') }
  const seeds = { client, recorder, tableName: await createSeedsTable(client, 'capacity') }
  const reported = (m: Measured) => ({
    write: m.send.reported.writeUnits + m.fanOut.reported.writeUnits,
    read: m.send.reported.readUnits + m.fanOut.reported.readUnits
  })
  const one = await measureOurs(ours, { before: 'recipient-unread', burst: 1 })
  const seedsOne = await measureSeeds(seeds, { burst: 1 })
  const burst = await measureOurs(ours, { before: 'recipient-unread', burst: 100 })
  const seedsBurst = await measureSeeds(seeds, { burst: 100 })
  client.destroy()
  probe.destroy()

  const [o, s, b, sb] = [reported(one), reported(seedsOne), reported(burst), reported(seedsBurst)]
  return [
    {
      section: SECTION,
      figure: 'one message, write units (send + stream fan-out)',
      measured: `${fmt(o.write)} (send ${fmt(one.send.reported.writeUnits)}) vs seeds ${fmt(s.write)}`,
      goal: '≤ 8 against the seeds\' 9',
      met: o.write <= 8
    },
    {
      section: SECTION,
      figure: 'one message, read units',
      measured: `${fmt(o.read)} (send ${fmt(one.send.reported.readUnits)}: the membership check; fan-out ${fmt(one.fanOut.reported.readUnits)}) vs seeds ${fmt(s.read)}`,
      goal: 'reported: a membership check, and Pattern D\'s reads (section 11)'
    },
    {
      section: SECTION,
      figure: 'burst of 100 in one batch, stream fan-out write units',
      measured: `${fmt(burst.fanOut.reported.writeUnits)} vs seeds ${fmt(seedsBurst.fanOut.reported.writeUnits)} (ratio ${fmt(burst.fanOut.reported.writeUnits / seedsBurst.fanOut.reported.writeUnits, 3)})`,
      goal: '≤ 0.1 × seeds',
      met: burst.fanOut.reported.writeUnits <= 0.1 * seedsBurst.fanOut.reported.writeUnits
    },
    {
      section: SECTION,
      figure: 'burst of 100, all units (sends included)',
      measured: `write ${fmt(b.write)} / read ${fmt(b.read)} vs seeds write ${fmt(sb.write)} / read ${fmt(sb.read)}`,
      goal: 'reported'
    }
  ]
}
