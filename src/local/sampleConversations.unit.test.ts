import { describe, expect, it } from 'vitest'
import { messageGroupUuidFor } from '../ids/messageGroupUuidFor.js'
import { BULK_WINDOW_MS } from '../cli/seed/bulkMessages.js'
import { lineTimes, SAMPLE_CONVERSATIONS, sampleUser } from './sampleConversations.js'

const now = new Date('2026-06-15T12:00:00.000Z')

describe('seed conversations', () => {
  it('are between seed users, 3 to 6 lines each, distinct pairs, and end before the bulk window', () => {
    expect(SAMPLE_CONVERSATIONS.length).toBeGreaterThanOrEqual(3)
    const pairs = new Set<string>()
    for (const conversation of SAMPLE_CONVERSATIONS) {
      const [a, b] = conversation.between
      expect(a).not.toBe(b)
      pairs.add(messageGroupUuidFor(sampleUser(a).uuid, sampleUser(b).uuid))
      expect(conversation.lines.length).toBeGreaterThanOrEqual(3)
      expect(conversation.lines.length).toBeLessThanOrEqual(6)
      expect(conversation.lines.every((line) => line.from === a || line.from === b)).toBe(true)
      expect(conversation.lines[0]!.from).toBe(a)
      const times = lineTimes(conversation, now).map((time) => time.getTime())
      expect(times).toEqual([...times].sort((x, y) => x - y))
      expect(times.at(-1)!).toBeLessThan(now.getTime() - BULK_WINDOW_MS)
    }
    expect(pairs.size).toBe(SAMPLE_CONVERSATIONS.length)
  })
})
