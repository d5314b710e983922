import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyStreamRecord } from './applyStreamRecord.js'
import { readStreamMessage } from './readStreamMessage.js'
import type { DynamoDBStreamRecord } from './types.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { messageRangeToRead, planGroupUpdate } from '../patterns/planGroupUpdate.js'
import { applyRecipe, markReadRecipe, recipeBounds } from '../unread/planReadState.js'
import { readStateOf, storedReadState } from '../unread/readState.js'

const G = 'aaaaaaaa-0000-4000-8000-000000000000'
const sk = (second: number, id = 'A') => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z#01${id}`

const insert = (image: Record<string, string>, seq = '100'): DynamoDBStreamRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: seq, NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])) }
})
const messageRecord = (group: string, key: string, text: string) =>
  insert({ pk: `MSG#${group}`, sk: key, message: text, message_uuid: 'u', user_uuid: 'x', user_display_name: 'X', user_handle: 'x' })
const row = (owner: string, other: string, key: string, group = G, text = 'old'): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk: key,
  message_group_uuid: group,
  message: text,
  user_uuid: other,
  user_display_name: other.toUpperCase(),
  user_handle: other
})

describe('applyStreamRecord', () => {
  it('plans the move of every participant\'s row to a newer message', () => {
    const outcome = applyStreamRecord(messageRecord(G, sk(2), 'new'), [row('alice', 'bob', sk(1)), row('bob', 'alice', sk(1))])
    expect(outcome).toEqual({
      kind: 'write',
      latest: { messageGroupUuid: G, sortKey: sk(2), message: 'new', userUuid: 'x', displayName: 'X', handle: 'x' },
      plan: {
        deletes: [{ pk: 'GRP#alice', sk: sk(1) }, { pk: 'GRP#bob', sk: sk(1) }],
        puts: [row('alice', 'bob', sk(2), G, 'new'), row('bob', 'alice', sk(2), G, 'new')]
      }
    })
  })

  it('reads the sender when the image has it, and does without it when not', () => {
    const record = messageRecord(G, sk(2), 'new')
    delete record.dynamodb!.NewImage!.user_display_name
    const read = readStreamMessage(record)
    expect(read).toEqual({ ok: true, latest: { messageGroupUuid: G, sortKey: sk(2), message: 'new', userUuid: 'x', handle: 'x' } })
    const anonymous = insert({ pk: `MSG#${G}`, sk: sk(2), message: 'new' })
    expect(readStreamMessage(anonymous)).toEqual({ ok: true, latest: { messageGroupUuid: G, sortKey: sk(2), message: 'new' } })
  })

  it('skips an older or repeated message as already current', () => {
    const rows = [row('alice', 'bob', sk(5)), row('bob', 'alice', sk(5))]
    for (const key of [sk(4), sk(5)]) {
      expect(applyStreamRecord(messageRecord(G, key, 'x'), rows)).toMatchObject({ kind: 'skip', reason: 'already-current' })
    }
  })

  it('names why it skips everything that is not a new message', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ eventName: 'REMOVE', dynamodb: {} }, 'not-an-insert', /REMOVE/],
      [{ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }, 'not-an-insert', /TTL/],
      [{ eventName: 'MODIFY', dynamodb: {} }, 'not-an-insert', /MODIFY/],
      [{ eventName: 'INSERT', dynamodb: { Keys: { pk: { S: `MSG#${G}` } } } }, 'no-new-image', /NEW_IMAGE/],
      [insert({ pk: 'GRP#alice', sk: sk(1), message: 'x' }), 'not-a-message', /GRP#alice/],
      [insert({ pk: `MSG#${G}`, sk: '#MEMBERS' }), 'not-a-message', /members/],
      [insert({ pk: 'USER#1', sk: sk(1) }), 'not-a-message', /USER#1/],
      [insert({ pk: `MSG#${G}`, sk: 'garbage', message: 'x' }), 'malformed', /sk garbage/],
      [insert({ pk: `MSG#${G}`, sk: sk(1) }), 'malformed', /message/],
      [{ eventName: 'INSERT', dynamodb: { NewImage: { pk: { N: '1' } } } }, 'malformed', /pk/],
      [{ eventName: 'UPSERT' }, 'malformed', /eventName/],
      [null, 'malformed', /not an object/]
    ]
    for (const [record, reason, detail] of cases) {
      const outcome = applyStreamRecord(record as DynamoDBStreamRecord, [])
      expect(outcome).toMatchObject({ kind: 'skip', reason })
      expect(outcome.kind === 'skip' && outcome.detail).toMatch(detail)
    }
  })

  it('never throws, whatever it is given (fuzz)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.anything(), (record, rows) => {
        const outcome = applyStreamRecord(record as DynamoDBStreamRecord, rows as StoredMessageGroupRow[])
        expect(['write', 'skip']).toContain(outcome.kind)
      }),
      { numRuns: 2000 }
    )
    const attribute = fc.oneof(fc.record({ S: fc.string() }), fc.record({ N: fc.string() }), fc.anything())
    fc.assert(
      fc.property(
        fc.constantFrom('INSERT', 'MODIFY', 'REMOVE', 'X', undefined),
        fc.dictionary(fc.constantFrom('pk', 'sk', 'message', 'other'), attribute),
        fc.array(fc.record({ pk: fc.oneof(fc.string(), fc.integer()), sk: fc.string(), message_group_uuid: fc.string() })),
        (eventName, NewImage, rows) => {
          const outcome = applyStreamRecord({ eventName, dynamodb: { NewImage } } as DynamoDBStreamRecord, rows as never)
          expect(['write', 'skip']).toContain(outcome.kind)
        }
      ),
      { numRuns: 2000 }
    )
  })
})

/** Values a hostile getter or trap may throw: some cannot even be turned into a string. */
const thrown = fc.constantFrom<() => unknown>(
  () => new Error('boom'),
  () => 'a string',
  () => Symbol('thrown'),
  () => ({ toString: () => { throw new Error('no string either') } }),
  () => new Proxy({}, { get: () => { throw new Error('trap') }, getPrototypeOf: () => { throw new Error('trap') } })
)

/** Where and how to make a valid message record hostile (built inside the property: fast-check inspects values). */
const hostility = fc.tuple(
  fc.constantFrom<[string[], string]>(
    [[], 'eventName'], [[], 'dynamodb'], [[], 'userIdentity'], [['dynamodb'], 'NewImage'], [['dynamodb'], 'SequenceNumber'],
    [['dynamodb', 'NewImage'], 'pk'], [['dynamodb', 'NewImage'], 'sk'], [['dynamodb', 'NewImage'], 'message'],
    [['dynamodb', 'NewImage'], 'user_uuid'], [['dynamodb', 'NewImage', 'pk'], 'S'], [['dynamodb', 'NewImage', 'message'], 'S']
  ),
  fc.constantFrom('getter', 'proxy', 'root proxy'),
  thrown
)

/** A valid message record with one property turned into a throwing getter, or one object into a Proxy whose traps throw. */
function hostileRecord([[path, key], how, error]: [[string[], string], string, () => unknown]): DynamoDBStreamRecord {
  const trap = () => {
    throw error()
  }
  const traps = { get: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap }
  const record = messageRecord(G, sk(1), 'hi') as unknown as Record<string, any>
  if (how === 'root proxy') return new Proxy(record, traps)
  const parent = path.reduce((object, step) => object[step], record)
  if (how === 'getter' || typeof parent[key] !== 'object') Object.defineProperty(parent, key, { get: trap, enumerable: true })
  else parent[key] = new Proxy(parent[key], traps)
  return record
}

describe('readStreamMessage and applyStreamRecord on hostile records', () => {
  const hostileCases = () => {
    const trap = () => { throw new Error('trap') }
    const throwingDynamodb = messageRecord(G, sk(1), 'x')
    Object.defineProperty(throwingDynamodb, 'dynamodb', { get: () => { throw new Error('boom') } })
    return [
      throwingDynamodb,
      new Proxy({}, { get: trap }),
      new Proxy(messageRecord(G, sk(1), 'x'), { get: trap, has: trap }),
      { eventName: 'INSERT', dynamodb: new Proxy({}, { get: () => { throw Symbol('s') } }) },
      { eventName: 'INSERT', dynamodb: { NewImage: { pk: { get S() { throw { toString: trap } } } } } }
    ] as DynamoDBStreamRecord[]
  }

  it('never throws on a record whose getters or Proxy traps throw; it is a malformed skip naming the problem', () => {
    for (const record of hostileCases()) {
      const read = readStreamMessage(record)
      expect(read).toMatchObject({ ok: false, reason: 'malformed' })
      expect(!read.ok && read.detail).toMatch(/unreadable record/)
      expect(applyStreamRecord(record, [])).toMatchObject({ kind: 'skip', reason: 'malformed' })
    }
  })

  it('never throws, whatever getter or trap throws and wherever (fuzz)', () => {
    fc.assert(
      fc.property(hostility, (recipe) => {
        expect(typeof readStreamMessage(hostileRecord(recipe)).ok).toBe('boolean')
        expect(['write', 'skip']).toContain(applyStreamRecord(hostileRecord(recipe), []).kind)
      }),
      { numRuns: 2000 }
    )
  })

  it('never throws on rows whose getters throw', () => {
    const trap = () => { throw { toString: () => { throw new Error('unprintable') } } }
    const rows = [new Proxy({}, { get: trap }), Object.defineProperty({}, 'pk', { get: trap })]
    const outcome = applyStreamRecord(messageRecord(G, sk(2), 'x'), rows as never)
    expect(['write', 'skip']).toContain(outcome.kind)
  })
})

describe('applyStreamRecord folded over any delivery of a history (property)', () => {
  /** A history: groups of two users each, with messages at strictly increasing sort keys. */
  const history = fc
    .array(
      fc.record({
        users: fc.uniqueArray(fc.constantFrom('ann', 'ben', 'cat', 'dan', 'eve'), { minLength: 2, maxLength: 2 }),
        messages: fc.integer({ min: 1, max: 6 })
      }),
      { minLength: 1, maxLength: 4 }
    )
    .map((groups) =>
      groups.map((group, g) => ({
        uuid: `0000000${g}-0000-4000-8000-000000000000`,
        users: group.users as [string, string],
        // Same-second keys on purpose: the ULID part must decide.
        keys: Array.from({ length: group.messages }, (_, i) => sk(Math.floor(i / 2), `${g}${String(i).padStart(2, '0')}`))
      }))
    )

  it('converges: every participant has exactly one row, at the group\'s newest message (1,000 histories)', () => {
    fc.assert(
      fc.property(
        history.chain((groups) => {
          const records = groups.flatMap((group) => [
            ...group.keys.map((key) => messageRecord(group.uuid, key, `text ${key}`)),
            insert({ pk: `GRP#${group.users[0]}`, sk: group.keys[0]!, message_group_uuid: group.uuid }),
            { eventName: 'REMOVE', dynamodb: { Keys: { pk: { S: `MSG#${group.uuid}` } } } }
          ])
          // Every record delivered at least once, some more than once, in any order.
          const deliveries = fc
            .tuple(fc.array(fc.nat(records.length - 1), { maxLength: records.length * 2 }), fc.constant(records.map((_, i) => i)))
            .map(([extra, all]) => [...all, ...extra])
            .chain((indexes) => fc.shuffledSubarray(indexes, { minLength: indexes.length, maxLength: indexes.length }))
          return fc.tuple(fc.constant(groups), fc.constant(records), deliveries)
        }),
        ([groups, records, order]) => {
          // State: each participant's row at the first message, as createMessageGroup leaves it.
          const table = new Map<string, StoredMessageGroupRow>()
          const keyOf = (r: { pk: string; sk: string }) => `${r.pk}|${r.sk}`
          for (const group of groups) {
            for (const [owner, other] of [group.users, [...group.users].reverse()]) {
              const first = row(owner!, other!, group.keys[0]!, group.uuid, `text ${group.keys[0]}`)
              table.set(keyOf(first), first)
            }
          }
          for (const index of order) {
            const record = records[index]!
            const group = record.dynamodb?.NewImage?.pk?.S?.replace('MSG#', '')
            const rows = [...table.values()].filter((r) => r.message_group_uuid === group)
            const outcome = applyStreamRecord(record, rows)
            expect(applyStreamRecord(record, rows)).toEqual(outcome) // pure: same input, same output
            if (outcome.kind !== 'write') continue
            // A transaction may touch an item once, and applies with these conditions; a failed one would cancel it.
            const touched = [...outcome.plan.deletes, ...outcome.plan.puts].map(keyOf)
            expect(new Set(touched).size).toBe(touched.length)
            for (const key of outcome.plan.deletes) expect(table.delete(keyOf(key))).toBe(true)
            for (const put of outcome.plan.puts) {
              expect(table.has(keyOf(put))).toBe(false)
              table.set(keyOf(put), put)
            }
          }
          // The model: one row per participant, at the newest message, describing the other participant.
          const expected = groups.flatMap((group) => {
            const last = group.keys.at(-1)!
            return [
              row(group.users[0], group.users[1], last, group.uuid, `text ${last}`),
              row(group.users[1], group.users[0], last, group.uuid, `text ${last}`)
            ]
          })
          const byKey = (a: StoredMessageGroupRow, b: StoredMessageGroupRow) => keyOf(a).localeCompare(keyOf(b))
          expect([...table.values()].sort(byKey)).toEqual(expected.sort(byKey))
        }
      ),
      { numRuns: 1000 }
    )
  })
})

describe('unread counts folded over any history of sends, late writes, deliveries and markRead (property)', () => {
  const users = ['ann', 'ben'] as const
  type Sent = { sk: string; from: string }
  type Op =
    | { kind: 'send'; from: 0 | 1; second: number }
    | { kind: 'deliver'; picks: number[] }
    | { kind: 'read'; who: 0 | 1; upTo: number | null }
  // Seconds from a small range: a later write often carries an earlier key (a sender whose clock is behind, or a write
  // the SDK retried for seconds), which a row move may already have read past.
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom(0 as const, 1 as const), second: fc.integer({ min: 1, max: 9 }) }),
    fc.record({ kind: fc.constant('deliver' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('read' as const), who: fc.constantFrom(0 as const, 1 as const), upTo: fc.option(fc.nat(), { nil: null }) })
  )
  const histories = fc.record({
    groups: fc.array(fc.record({ legacy: fc.boolean(), ops: fc.array(op, { maxLength: 14 }) }), { minLength: 1, maxLength: 3 }),
    finalOrder: fc.array(fc.nat(), { maxLength: 60 })
  })
  const keyOf = (r: { pk: string; sk: string }) => `${r.pk}|${r.sk}`

  it('every participant\'s count is the other\'s messages after their marker, the marker their newest read (1,000 histories)', () => {
    fc.assert(
      fc.property(histories, ({ groups, finalOrder }) => {
        for (const [g, group] of groups.entries()) {
          const uuid = `0000000${g}-0000-4000-8000-000000000000`
          const table = new Map<string, StoredMessageGroupRow>()
          const sent: Sent[] = []
          const records: DynamoDBStreamRecord[] = []
          const delivered = new Set<number>()
          const reads: Record<string, string[]> = { ann: [], ben: [] }
          const send = (from: string, second: number) => {
            const message = { sk: sk(second, `${g}${String(sent.length).padStart(3, '0')}`), from }
            sent.push(message)
            records.push(insert({ pk: `MSG#${uuid}`, sk: message.sk, message: `m${sent.length}`, user_uuid: from, user_display_name: from, user_handle: from }))
          }
          const rowsNow = () => [...table.values()]
          const rangeOf = (bounds: { after?: string; through: string } | undefined) =>
            bounds && { ...bounds, messages: sent.filter((m) => (bounds.after === undefined || m.sk > bounds.after) && m.sk <= bounds.through).map((m) => ({ sk: m.sk, user_uuid: m.from })) }
          const write = (plan: { deletes: { pk: string; sk: string }[]; puts: StoredMessageGroupRow[]; updates?: { pk: string; sk: string; readState: object }[] }) => {
            for (const key of plan.deletes) expect(table.delete(keyOf(key))).toBe(true)
            for (const put of plan.puts) {
              expect(table.has(keyOf(put))).toBe(false)
              table.set(keyOf(put), put)
            }
            for (const update of plan.updates ?? []) {
              const current = table.get(keyOf(update))!
              expect(current).toBeDefined()
              const { last_read_sk: _m, unread_count: _c, unread_owner_uuid: _o, ...rest } = current
              table.set(keyOf(update), { ...rest, ...update.readState } as StoredMessageGroupRow)
            }
          }
          /** One invocation of the stream handler with these records of the conversation, as syncGroupRows decides it. */
          const deliver = (indexes: number[]) => {
            for (const index of indexes) delivered.add(index)
            if (indexes.length === 1) {
              const rows = rowsNow()
              const read = readStreamMessage(records[indexes[0]!]!)
              if (!read.ok) throw new Error('unreachable')
              const outcome = applyStreamRecord(records[indexes[0]!]!, rows, { ...(rangeOf(messageRangeToRead(rows, read.latest)) && { range: rangeOf(messageRangeToRead(rows, read.latest)) }) })
              if (outcome.kind === 'write') write(outcome.plan)
              else expect(outcome.reason).toBe('already-current')
              return
            }
            const latest = indexes.map((i) => sent[i]!).reduce((a, b) => (b.sk > a.sk ? b : a))
            const applied = indexes.map((i) => sent[i]!.sk)
            const message = { messageGroupUuid: uuid, sortKey: latest.sk, message: 'x' }
            const range = rangeOf(messageRangeToRead(rowsNow(), message, applied))
            write(planGroupUpdate(rowsNow(), message, { ...(range && { range }), applied }))
          }
          /** markRead, as src/patterns/markRead.ts decides it, from the same pure functions. */
          const markRead = (owner: string, upTo: string | undefined) => {
            const row = rowsNow().find((r) => r.pk === `GRP#${owner}`)!
            const newest = sent.reduce((a, b) => (b.sk > a.sk ? b : a)).sk
            const target = upTo !== undefined && upTo < row.sk ? upTo : upTo === undefined || upTo > newest ? newest : upTo
            reads[owner]!.push(target)
            const recipe = markReadRecipe(row.sk, readStateOf(row), target)
            if (recipe.kind === 'keep') return
            const next = storedReadState(owner, applyRecipe(recipe, owner, rangeOf(recipeBounds(recipe))))
            write({ deletes: [], puts: [], updates: [{ pk: row.pk, sk: row.sk, readState: next }] })
          }

          // createMessageGroup: ann's first message, both rows at it (or rows as the bootcamp left them: no counts).
          send('ann', 0)
          for (const [owner, other] of [['ann', 'ben'], ['ben', 'ann']] as const) {
            const first = row(owner, other, sent[0]!.sk, uuid, 'm1')
            const state = group.legacy ? {} : owner === 'ann' ? { last_read_sk: sent[0]!.sk, unread_count: 0 } : { unread_count: 1, unread_owner_uuid: 'ben' }
            table.set(keyOf(first), { ...first, ...state })
          }
          for (const step of group.ops) {
            if (step.kind === 'send') send(users[step.from], step.second)
            else if (step.kind === 'deliver') deliver([...new Set(step.picks.map((pick) => pick % records.length))])
            else markRead(users[step.who], step.upTo === null ? undefined : sent[step.upTo % sent.length]!.sk)
          }
          // Every record delivered at least once: the ones never delivered, in any order.
          const pending = records.map((_, i) => i).filter((i) => !delivered.has(i))
          for (const pick of finalOrder) if (pending.length > 1) pending.push(...pending.splice(pick % pending.length, 1))
          for (const index of pending) deliver([index])

          const last = sent.reduce((a, b) => (b.sk > a.sk ? b : a)).sk
          for (const owner of users) {
            const owned = rowsNow().filter((r) => r.pk === `GRP#${owner}`)
            expect(owned.map((r) => r.sk)).toEqual([last])
            // The marker: the newest of what they marked read and what they sent (the bootcamp's rows: read up to
            // their first message).
            const candidates = [...reads[owner]!, ...sent.filter((m) => m.from === owner).map((m) => m.sk), ...(group.legacy ? [sent[0]!.sk] : [])]
            const marker = candidates.length > 0 ? candidates.reduce((a, b) => (b > a ? b : a)) : undefined
            const unread = sent.filter((m) => m.from !== owner && (marker === undefined || m.sk > marker)).length
            const stored = owned[0]!
            expect(stored.unread_count ?? 0).toBe(unread)
            expect(stored.unread_count === undefined ? stored.sk : stored.last_read_sk).toBe(marker)
            expect(stored.unread_owner_uuid).toBe(unread > 0 ? owner : undefined)
          }
        }
      }),
      { numRuns: 1000 }
    )
  })
})
