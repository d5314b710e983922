import { describe, expect, it } from 'vitest'
import type { StoredMessageGroupRow } from '../table/rows.js'
import type { MessageRange, RangeMessage } from './messageRange.js'
import { planInboxUpdate, type InboxPlan, type InboxView, type RowUpdate } from './planInboxUpdate.js'
import { UNREAD_COUNT_CAP } from './readState.js'

const G = 'MSG#aaaaaaaa-0000-4000-8000-000000000000'
const sk = (n: number) => `2026-01-01T00:${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}.000Z#01A`
const row = (owner: string, other: string, lastSk: string, state: Partial<StoredMessageGroupRow> = {}): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk: G,
  last_sk: lastSk,
  message: `text ${lastSk}`,
  user_uuid: other,
  user_display_name: other.toUpperCase(),
  user_handle: other,
  unread_count: 0,
  rev: 1,
  ...state
})
const said = (user: string, n: number): RangeMessage => ({ sk: sk(n), user_uuid: user, message: `text ${sk(n)}` })
const rangeOf = (messages: RangeMessage[], through: string, after?: string): MessageRange => ({
  ...(after !== undefined && { after }),
  through,
  messages: messages.filter((m) => (after === undefined || m.sk > after) && m.sk <= through)
})

/** Plans as Pattern D does: reads what a `read` plan asks for from `messages`, and plans again. */
function plan(view: Omit<InboxView, 'range'>, messages: RangeMessage[]): Extract<InboxPlan, { kind: 'write' }> {
  let planned = planInboxUpdate(view)
  for (let reads = 0; planned.kind === 'read'; reads++) {
    if (reads > 2) throw new Error('asked to read again and again')
    planned = planInboxUpdate({ ...view, range: rangeOf(messages, planned.bounds.through, planned.bounds.after) })
  }
  return planned
}
/** The rows after the updates are written (each one revision higher). */
const written = (rows: StoredMessageGroupRow[], updates: RowUpdate[]): StoredMessageGroupRow[] =>
  rows.map((r) => {
    const update = updates.find((u) => u.pk === r.pk && u.sk === r.sk)
    if (!update) return r
    const { last_read_sk: _marker, unread_owner_uuid: _owner, ...rest } = r
    return { ...rest, ...update.set, rev: update.rev + 1 }
  })

describe('planInboxUpdate', () => {
  const history = [said('ann', 1), said('ben', 2)]
  const rows = [
    row('ann', 'ben', sk(2), { last_read_sk: sk(1), unread_count: 1, unread_owner_uuid: 'ann', rev: 4 }),
    row('ben', 'ann', sk(2), { last_read_sk: sk(2), unread_count: 0, rev: 3 })
  ]

  it('asks first for the messages the counts and previews need', () => {
    expect(planInboxUpdate({ rows, latestSk: sk(3), applied: [sk(3)] })).toEqual({ kind: 'read', bounds: { after: sk(2), through: sk(3) } })
  })

  it("moves every row to the newest message, each with its owner's count, conditioned on the revision read", () => {
    const messages = [...history, said('ben', 3)]
    expect(plan({ rows, latestSk: sk(3), applied: [sk(3)] }, messages)).toEqual({
      kind: 'write',
      updates: [
        { pk: 'GRP#ann', sk: G, rev: 4, set: { last_sk: sk(3), message: `text ${sk(3)}`, sender_uuid: 'ben', last_read_sk: sk(1), unread_count: 2, unread_owner_uuid: 'ann' } },
        { pk: 'GRP#ben', sk: G, rev: 3, set: { last_sk: sk(3), message: `text ${sk(3)}`, sender_uuid: 'ben', last_read_sk: sk(3), unread_count: 0 } }
      ],
      participants: [
        { userUuid: 'ann', unreadCount: 2, lastReadSortKey: sk(1) },
        { userUuid: 'ben', unreadCount: 0, lastReadSortKey: sk(3) }
      ]
    })
  })

  it("takes the preview from the messages read, never from elsewhere, and keeps the other participant's fields", () => {
    const messages = [...history, { sk: sk(3), user_uuid: 'ben', message: 'as stored' }]
    const { updates } = plan({ rows, latestSk: sk(3), applied: [sk(3)] }, messages)
    expect(updates.map((u) => u.set.message)).toEqual(['as stored', 'as stored'])
    // A message stored without text shows as empty rather than failing the update.
    const textless = plan({ rows, latestSk: sk(3), applied: [sk(3)] }, [...history, { sk: sk(3), user_uuid: 'ben' }])
    expect(textless.updates.map((u) => u.set.message)).toEqual(['', ''])
  })

  it('moves a row only to a message the table holds: a range without the message leaves the row where it is', () => {
    const { updates, participants } = plan({ rows, latestSk: sk(3), applied: [sk(3)] }, history)
    expect(updates).toEqual([])
    expect(participants.map((p) => p.unreadCount)).toEqual([1, 0])
  })

  it('writes nothing for rows already current, and nothing when a write is planned again on its result (idempotent)', () => {
    const current = plan({ rows, latestSk: sk(2), applied: [sk(2)] }, history)
    expect(current.updates).toEqual([])
    expect(current.participants).toEqual([
      { userUuid: 'ann', unreadCount: 1, lastReadSortKey: sk(1) },
      { userUuid: 'ben', unreadCount: 0, lastReadSortKey: sk(2) }
    ])
    const messages = [...history, said('ben', 3), said('ann', 4)]
    const first = plan({ rows, latestSk: sk(4), applied: [sk(3), sk(4)] }, messages)
    expect(first.updates).toHaveLength(2)
    const again = plan({ rows: written(rows, first.updates), latestSk: sk(4), applied: [sk(3), sk(4)] }, messages)
    expect(again).toEqual({ kind: 'write', updates: [], participants: first.participants })
  })

  it("recounts after a late or redelivered record: a late own message moves the marker, a redelivery writes nothing", () => {
    // ben's message at 3 committed after ann's at 4 was applied: the rows show 4 and ben's marker is still at 2.
    const ahead = [
      row('ann', 'ben', sk(4), { last_read_sk: sk(4), unread_count: 0, rev: 5 }),
      row('ben', 'ann', sk(4), { last_read_sk: sk(2), unread_count: 1, unread_owner_uuid: 'ben', rev: 5 })
    ]
    const messages = [...history, said('ben', 3), said('ann', 4)]
    const late = plan({ rows: ahead, latestSk: sk(3), applied: [sk(3)] }, messages)
    expect(late.updates).toEqual([
      { pk: 'GRP#ben', sk: G, rev: 5, set: { last_sk: sk(4), message: `text ${sk(4)}`, last_read_sk: sk(3), unread_count: 1, unread_owner_uuid: 'ben' } }
    ])
    // The record of 4 delivered again: the recount finds the rows right.
    const redelivered = plan({ rows: written(ahead, late.updates), latestSk: sk(4), applied: [sk(4)] }, messages)
    expect(redelivered.updates).toEqual([])
    expect(redelivered.participants).toEqual([
      { userUuid: 'ann', unreadCount: 0, lastReadSortKey: sk(4) },
      { userUuid: 'ben', unreadCount: 1, lastReadSortKey: sk(3) }
    ])
  })

  it('recounts a late message the stored count missed', () => {
    // The rows moved to 5 counting only ben's 5 for ann; ben's 4 committed late, after that move.
    const moved = [row('ann', 'ben', sk(5), { last_read_sk: sk(3), unread_count: 1, unread_owner_uuid: 'ann', rev: 2 })]
    const messages = [said('ann', 3), said('ben', 4), said('ben', 5)]
    expect(plan({ rows: moved, latestSk: sk(4), applied: [sk(4)] }, messages).updates).toEqual([
      { pk: 'GRP#ann', sk: G, rev: 2, set: { last_sk: sk(5), message: `text ${sk(5)}`, last_read_sk: sk(3), unread_count: 2, unread_owner_uuid: 'ann' } }
    ])
  })

  it('counts from a marker past the row (markRead ahead of the stream), and moves the row', () => {
    const behind = [row('ann', 'ben', sk(2), { last_read_sk: sk(4), unread_count: 0, rev: 2 })]
    const messages = [...history, said('ben', 3), said('ben', 4), said('ben', 5)]
    expect(plan({ rows: behind, latestSk: sk(5), applied: [sk(5)] }, messages).updates).toEqual([
      { pk: 'GRP#ann', sk: G, rev: 2, set: { last_sk: sk(5), message: `text ${sk(5)}`, sender_uuid: 'ben', last_read_sk: sk(4), unread_count: 1, unread_owner_uuid: 'ann' } }
    ])
  })

  it("moves the owner's marker to their own newest message applied", () => {
    const messages = [...history, said('ben', 3), said('ann', 4), said('ben', 5)]
    const { updates } = plan({ rows, latestSk: sk(5), applied: [sk(3), sk(4), sk(5)] }, messages)
    expect(updates.map((u) => [u.pk, u.set.last_read_sk, u.set.unread_count])).toEqual([
      ['GRP#ann', sk(4), 1],
      ['GRP#ben', sk(5), 0]
    ])
  })

  it('caps the count, and a recount reads no further than the cap needs', () => {
    const burst = Array.from({ length: UNREAD_COUNT_CAP + 50 }, (_, i) => said('ben', 10 + i))
    const through = burst.at(-1)!.sk
    const stale = [row('ann', 'ben', through, { last_read_sk: sk(1), rev: 9, unread_count: 'garbage' as never })]
    const view = { rows: stale, latestSk: through, applied: [through] }
    const first = planInboxUpdate(view)
    expect(first).toEqual({ kind: 'read', bounds: { after: sk(1), through } })
    // The newest 100 messages, as a read that stopped there reports them: enough.
    const top = { after: burst[49]!.sk, through, messages: burst.slice(50) }
    expect(planInboxUpdate({ ...view, range: top })).toMatchObject({ kind: 'write', updates: [{ set: { unread_count: UNREAD_COUNT_CAP, unread_owner_uuid: 'ann' } }] })
    // 99 of them: not enough to settle, so it asks for the same bounds.
    expect(planInboxUpdate({ ...view, range: { after: burst[50]!.sk, through, messages: burst.slice(51) } })).toEqual(first)
  })

  it('refuses a view that is not one (ValidationError), naming it', () => {
    for (const view of [undefined, null, 7, {}, { rows, latestSk: 3, applied: [] }, { rows, latestSk: sk(3), applied: [3] }, { rows: 'x', latestSk: sk(3), applied: [] }, { rows, latestSk: sk(3), applied: [], range: { through: sk(3) } }]) {
      expect(() => planInboxUpdate(view as never)).toThrow(expect.objectContaining({ name: 'ValidationError', issues: [expect.objectContaining({ code: 'view_invalid' })] }))
    }
  })

  it('ignores rows without an owner key, a last message or a revision (other code wrote them: repair rebuilds them)', () => {
    const { rev: _rev, ...revless } = row('cat', 'ann', sk(1))
    const odd = [row('ann', 'ben', sk(2)), { ...row('x', 'y', sk(1)), pk: 'USER#x' }, { ...row('ben', 'ann', sk(1)), last_sk: 42 as never }, revless as never, null as never, 'row' as never]
    const { updates, participants } = plan({ rows: odd, latestSk: sk(3), applied: [sk(3)] }, [...history, said('ben', 3)])
    expect(updates.map((u) => u.pk)).toEqual(['GRP#ann'])
    expect(participants.map((p) => p.userUuid)).toEqual(['ann'])
  })

  it('lists participants by user uuid whatever the order of the rows', () => {
    const { participants } = plan({ rows: [...rows].reverse(), latestSk: sk(2), applied: [sk(2)] }, history)
    expect(participants.map((p) => p.userUuid)).toEqual(['ann', 'ben'])
  })
})
