import { describe, expect, it } from 'vitest'
import { createMessaging, messageGroupPk, messagePk } from '../../src/index.js'
import { encodeCursor } from '../../src/cursor/cursor.js'
import { testTable, user } from '../support/engine.js'
import { validationCodesWithoutWrites } from '../support/rejections.js'
import { KEYS_NO_LISTING_RETURNS, KEYS_THE_ENGINE_REFUSES_FOR_A, LISTED_KEYS, titled } from '../support/crafted.js'
import { writeConversation } from '../support/layout.js'

const { client, tableName } = await testTable('cursors')
const messaging = createMessaging({ client, tableName })
const alice = user('alice')
const bob = user('bob')
const { messageGroupUuid } = await messaging.createMessageGroup({ sender: alice, recipient: bob, message: 'first' })
await messaging.createMessage({ messageGroupUuid, sender: bob, message: 'second' })

// Forged with the real checksum, which anyone can compute: only the keys inside stand between it and the engine.
const forA = (sk: string) => encodeCursor({ table: tableName, pattern: 'A', pk: messagePk(messageGroupUuid) }, { sk })
const forB = (sk: string, row = messagePk(messageGroupUuid)) => encodeCursor({ table: tableName, pattern: 'B', pk: messageGroupPk(alice.uuid) }, { sk, row })

async function expectCursorInvalid(action: () => Promise<unknown>): Promise<void> {
  expect(await validationCodesWithoutWrites(client, tableName, action)).toEqual(['cursor_invalid'])
}

describe('a cursor forged with a sort key the query cannot return', () => {
  it.each(titled(KEYS_THE_ENGINE_REFUSES_FOR_A))('Pattern A, %s (the engine would throw): cursor_invalid, nothing read or written', async (_, sk) => {
    await expectCursorInvalid(() => messaging.listMessages({ messageGroupUuid, viewerUuid: alice.uuid, cursor: forA(sk) }))
    await expectCursorInvalid(() => messaging.listMessages({ messageGroupUuid, cursor: forA(sk) }))
  })

  it.each(titled([...KEYS_THE_ENGINE_REFUSES_FOR_A, ...KEYS_NO_LISTING_RETURNS]))('Pattern B, %s: cursor_invalid', async (_, sk) => {
    await expectCursorInvalid(() => messaging.listMessageGroups({ userUuid: alice.uuid, cursor: forB(sk) }))
  })

  it.each(titled(['#CONVERSATION', `#MEMBER#${alice.uuid}`, `GRP#${alice.uuid}`, 'MSG#x', `MSG#${messageGroupUuid.toUpperCase()}`, '']))(
    'Pattern B, a row key %s that is no conversation row\'s: cursor_invalid',
    async (_, row) => {
      await expectCursorInvalid(() => messaging.listMessageGroups({ userUuid: alice.uuid, cursor: forB(LISTED_KEYS[1]!, row) }))
    }
  )

  it('Pattern B, a position without its row (a Pattern A cursor\'s shape): cursor_invalid', async () => {
    const rowless = encodeCursor({ table: tableName, pattern: 'B', pk: messageGroupPk(alice.uuid) }, { sk: LISTED_KEYS[1]! })
    await expectCursorInvalid(() => messaging.listMessageGroups({ userUuid: alice.uuid, cursor: rowless }))
  })

  it.each(titled(KEYS_NO_LISTING_RETURNS))('Pattern A, %s (in range, but no message has it): cursor_invalid', async (_, sk) => {
    await expectCursorInvalid(() => messaging.listMessages({ messageGroupUuid, cursor: forA(sk) }))
  })

  it('takes the keys listings return: this library\'s and the seeds\' bare timestamps', async () => {
    for (const sk of LISTED_KEYS) {
      await expect(messaging.listMessages({ messageGroupUuid, cursor: forA(sk) })).resolves.toMatchObject({ items: expect.any(Array) })
      await expect(messaging.listMessageGroups({ userUuid: alice.uuid, cursor: forB(sk) })).resolves.toMatchObject({ items: expect.any(Array) })
    }
    const newest = '9999-12-31T23:59:59.999Z#7ZZZZZZZZZZZZZZZZZZZZZZZZZ'
    expect((await messaging.listMessages({ messageGroupUuid, cursor: forA(newest) })).items.map((m) => m.message)).toEqual(['second', 'first'])
  })
})

describe('Pattern B paging with its compound cursor (last message, row)', () => {
  const carol = user('carol')
  // Conversations whose last messages share one bare timestamp (seeds' keys carry no ULID): only the row tells
  // them apart, so a cursor holding the time alone would skip or repeat them.
  const sameTime = '2023-03-01T10:00:00+00:00'
  const others = Array.from({ length: 7 }, (_, i) => user(`friend${i}`))
  const conversations = others.map((_, i) => `cccccccc-0000-4000-8000-${String(i).padStart(12, '0')}`)

  it('lists every conversation once, newest first, whatever the page size, also where last messages share a time', async () => {
    for (const [i, other] of others.entries()) {
      const sk = i < 4 ? sameTime : `2023-03-0${i - 2}T10:00:00+00:00`
      await writeConversation(client, tableName, conversations[i]!, [carol, other], [[other, `hello ${i}`, sk]])
    }
    for (const limit of [1, 2, 3, 7, 8]) {
      const seen: Array<[string, string]> = []
      let cursor: string | undefined
      do {
        const page = await messaging.listMessageGroups({ userUuid: carol.uuid, limit, ...(cursor && { cursor }) })
        expect(page.items.length).toBeLessThanOrEqual(limit)
        seen.push(...page.items.map((group): [string, string] => [group.sortKey, group.messageGroupUuid]))
        cursor = page.cursor
        expect(seen.length).toBeLessThanOrEqual(conversations.length) // a cursor that repeats pages would loop
      } while (cursor)
      expect(seen.map(([, group]) => group).sort()).toEqual([...conversations].sort())
      expect(seen.map(([sk]) => sk)).toEqual(seen.map(([sk]) => sk).sort().reverse())
    }
  })

  it('never shows a conversation twice while the list changes between pages; one untouched is never missed', async () => {
    const pages: string[][] = []
    const first = await messaging.listMessageGroups({ userUuid: carol.uuid, limit: 3 })
    pages.push(first.items.map((group) => group.messageGroupUuid))
    // Meanwhile a conversation already shown and one not yet shown both get a new message: both rows go to the top.
    const shown = first.items[1]!.messageGroupUuid
    const notYet = conversations.find((group) => !pages[0]!.includes(group))!
    for (const group of [shown, notYet]) {
      const other = others[conversations.indexOf(group)]!
      const sent = await messaging.createMessage({ messageGroupUuid: group, sender: other, message: 'moved up' })
      await messaging.updateMessageGroups(sent)
    }
    let cursor = first.cursor
    while (cursor) {
      const page = await messaging.listMessageGroups({ userUuid: carol.uuid, limit: 3, cursor })
      pages.push(page.items.map((group) => group.messageGroupUuid))
      cursor = page.cursor
      expect(pages.length).toBeLessThanOrEqual(conversations.length)
    }
    const seen = pages.flat()
    expect(new Set(seen).size).toBe(seen.length)
    // The one that moved from below the cursor to the top is missed by this pass (a reader starting again sees it first).
    expect(seen).not.toContain(notYet)
    expect(seen.sort()).toEqual(conversations.filter((group) => group !== notYet).sort())
    expect((await messaging.listMessageGroups({ userUuid: carol.uuid, limit: 2 })).items.map((group) => group.messageGroupUuid).sort()).toEqual([shown, notYet].sort())
  })
})
