import { describe, expect, it } from 'vitest'
import { timeOfSortKey } from '../../keys/keys.js'
import { messageGroupUuidFor } from '../../ids/messageGroupUuidFor.js'
import { BULK_WINDOW_MS, planBulkMessages } from './bulkMessages.js'
import { lineTimes, SEED_CONVERSATIONS, seedUser } from './conversations.js'
import { SEED_USERS } from './seedUsers.js'

const now = new Date('2026-06-15T12:00:00.000Z')

describe('seed conversations', () => {
  it('are between seed users, 3 to 6 lines each, distinct pairs, and end before the bulk window', () => {
    expect(SEED_CONVERSATIONS.length).toBeGreaterThanOrEqual(3)
    const pairs = new Set<string>()
    for (const conversation of SEED_CONVERSATIONS) {
      const [a, b] = conversation.between
      expect(a).not.toBe(b)
      pairs.add(messageGroupUuidFor(seedUser(a).uuid, seedUser(b).uuid))
      expect(conversation.lines.length).toBeGreaterThanOrEqual(3)
      expect(conversation.lines.length).toBeLessThanOrEqual(6)
      expect(conversation.lines.every((line) => line.from === a || line.from === b)).toBe(true)
      expect(conversation.lines[0]!.from).toBe(a)
      const times = lineTimes(conversation, now).map((time) => time.getTime())
      expect(times).toEqual([...times].sort((x, y) => x - y))
      expect(times.at(-1)!).toBeLessThan(now.getTime() - BULK_WINDOW_MS)
    }
    expect(pairs.size).toBe(SEED_CONVERSATIONS.length)
  })
})

describe('planBulkMessages', () => {
  const targets = [
    { messageGroupUuid: messageGroupUuidFor(SEED_USERS.ada.uuid, SEED_USERS.ben.uuid), participants: [SEED_USERS.ada, SEED_USERS.ben] },
    { messageGroupUuid: messageGroupUuidFor(SEED_USERS.cleo.uuid, SEED_USERS.dana.uuid), participants: [SEED_USERS.cleo, SEED_USERS.dana] }
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
