import { describe, expect, it } from 'vitest'
import { timeOfSortKey } from '../../keys/keys.js'
import { messageGroupUuidFor } from '../../ids/messageGroupUuidFor.js'
import { BULK_WINDOW_MS, planBulkMessages } from './bulkMessages.js'
import { SAMPLE_USERS } from '../../local/sampleUsers.js'

const now = new Date('2026-06-15T12:00:00.000Z')

describe('planBulkMessages', () => {
  const targets = [
    { messageGroupUuid: messageGroupUuidFor(SAMPLE_USERS.ada.uuid, SAMPLE_USERS.ben.uuid), participants: [SAMPLE_USERS.ada, SAMPLE_USERS.ben] },
    { messageGroupUuid: messageGroupUuidFor(SAMPLE_USERS.cleo.uuid, SAMPLE_USERS.dana.uuid), participants: [SAMPLE_USERS.cleo, SAMPLE_USERS.dana] }
  ] as const

  it('deals rows round-robin, alternating senders, in the past, with unique increasing sort keys', () => {
    const { rows, latest } = planBulkMessages(7, targets, now)
    expect(rows.map((row) => row.pk)).toEqual([0, 1, 0, 1, 0, 1, 0].map((i) => `MSG#${targets[i]!.messageGroupUuid}`))
    expect(rows.filter((row) => row.pk === `MSG#${targets[0].messageGroupUuid}`).map((row) => row.user_handle)).toEqual(['ada', 'ben', 'ada', 'ben'])
    const sortKeys = rows.map((row) => row.sk)
    expect(new Set(sortKeys).size).toBe(7)
    expect([...sortKeys].sort()).toEqual(sortKeys)
    for (const row of rows) {
      const time = Date.parse(timeOfSortKey(row.sk)!)
      expect(time).toBeLessThan(now.getTime())
      expect(time).toBeGreaterThanOrEqual(now.getTime() - BULK_WINDOW_MS - 60_000)
      expect(Object.keys(row).sort()).toEqual(['message', 'message_uuid', 'pk', 'sk', 'user_display_name', 'user_handle', 'user_uuid'])
    }
    expect(latest).toEqual([
      { messageGroupUuid: targets[0].messageGroupUuid, sortKey: rows[6]!.sk, message: rows[6]!.message },
      { messageGroupUuid: targets[1].messageGroupUuid, sortKey: rows[5]!.sk, message: rows[5]!.message }
    ])
  })
})
