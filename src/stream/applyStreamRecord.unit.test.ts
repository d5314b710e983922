import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyStreamRecord, type StreamRecordOutcome } from './applyStreamRecord.js'
import { readStreamMessage } from './readStreamMessage.js'
import type { DynamoDBStreamRecord } from './types.js'
import type { StoredMessageGroupRow } from '../table/rows.js'
import { planInboxUpdate, type RowUpdate } from '../inbox/planInboxUpdate.js'
import type { MessageRange, MessageRangeBounds, RangeMessage } from '../inbox/messageRange.js'
import { applyRecipe, recipeBounds } from '../inbox/planRow.js'
import { readStateOf, storedReadState, UNREAD_COUNT_CAP } from '../inbox/readState.js'
import { markReadRecipe } from '../conversations/markRead.js'

const G = 'aaaaaaaa-0000-4000-8000-000000000000'
const OTHER = 'bbbbbbbb-0000-4000-8000-000000000000'
const sk = (second: number, id = 'A') => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z#01${id}`

const insert = (image: Record<string, string>, seq = '100'): DynamoDBStreamRecord => ({
  eventName: 'INSERT',
  dynamodb: { SequenceNumber: seq, NewImage: Object.fromEntries(Object.entries(image).map(([k, v]) => [k, { S: v }])) }
})
const messageRecord = (group: string, key: string, text: string, from = 'x') =>
  insert({ pk: `MSG#${group}`, sk: key, message: text, message_uuid: 'u', user_uuid: from, user_display_name: from.toUpperCase(), user_handle: from })
const row = (owner: string, other: string, lastSk: string, state: Partial<StoredMessageGroupRow> = {}, group = G): StoredMessageGroupRow => ({
  pk: `GRP#${owner}`,
  sk: `MSG#${group}`,
  last_sk: lastSk,
  message: 'old',
  user_uuid: other,
  user_display_name: other.toUpperCase(),
  user_handle: other,
  unread_count: 0,
  rev: 1,
  ...state
})

/** The messages of `stored` within `bounds`, as a strongly consistent read returns them (all of them). */
const rangeOf = (stored: readonly RangeMessage[], bounds: MessageRangeBounds): MessageRange => ({
  ...bounds,
  messages: stored.filter((m) => (bounds.after === undefined || m.sk > bounds.after) && m.sk <= bounds.through)
})

/**
 * Applies a record as the stream handler does: the rows first, then, when it asks, the messages it names, read newest
 * first `page` at a time (as readMessageRange does, stopping once the outcome is decided). Fails when it asks to read
 * a range it was given whole.
 */
function decide(record: DynamoDBStreamRecord, rows: readonly StoredMessageGroupRow[], stored: readonly RangeMessage[], page = Infinity): StreamRecordOutcome {
  let outcome = applyStreamRecord(record, rows)
  // Pure: same input, same output (compared as JSON: plain `expect` is too slow for the folds below).
  if (JSON.stringify(applyStreamRecord(record, rows)) !== JSON.stringify(outcome)) throw new Error('not pure')
  if (outcome.kind !== 'read') return outcome
  const { bounds } = outcome
  const newestFirst = rangeOf(stored, bounds).messages.slice().sort((a, b) => (a.sk < b.sk ? 1 : -1))
  for (let read = page; ; read += page) {
    const whole = read >= newestFirst.length
    const messages = newestFirst.slice(0, read)
    const range: MessageRange = whole ? { ...bounds, messages } : { after: messages.at(-1)!.sk, through: bounds.through, messages }
    outcome = applyStreamRecord(record, rows, range)
    if (outcome.kind !== 'read') return outcome
    if (whole) throw new Error(`asked to read ${JSON.stringify(outcome.bounds)} again after reading ${JSON.stringify(bounds)} whole`)
  }
}

describe('applyStreamRecord', () => {
  const stored: RangeMessage[] = [
    { sk: sk(1), user_uuid: 'ann', message: 'first' },
    { sk: sk(2), user_uuid: 'ben', message: 'as stored' }
  ]
  const rows = [row('ann', 'ben', sk(1), { last_read_sk: sk(1) }), row('ben', 'ann', sk(1), { unread_count: 1, unread_owner_uuid: 'ben', rev: 4 })]

  it("asks for the messages it needs, then plans every member's row update from them", () => {
    const record = messageRecord(G, sk(2), 'from the record', 'ben')
    const latest = { messageGroupUuid: G, sortKey: sk(2), message: 'from the record', userUuid: 'ben', displayName: 'BEN', handle: 'ben' }
    expect(applyStreamRecord(record, rows)).toEqual({ kind: 'read', latest, bounds: { after: sk(1), through: sk(2) } })
    expect(applyStreamRecord(record, rows, rangeOf(stored, { after: sk(1), through: sk(2) }))).toEqual({
      kind: 'write',
      latest,
      updates: [
        // The preview is what the table holds, never the record's copy (a redelivery carries an old one).
        { pk: 'GRP#ann', sk: `MSG#${G}`, rev: 1, set: { last_sk: sk(2), message: 'as stored', sender_uuid: 'ben', last_read_sk: sk(1), unread_count: 1, unread_owner_uuid: 'ann' } },
        { pk: 'GRP#ben', sk: `MSG#${G}`, rev: 4, set: { last_sk: sk(2), message: 'as stored', sender_uuid: 'ben', last_read_sk: sk(2), unread_count: 0 } }
      ],
      participants: [
        { userUuid: 'ann', unreadCount: 1, lastReadSortKey: sk(1) },
        { userUuid: 'ben', unreadCount: 0, lastReadSortKey: sk(2) }
      ]
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

  it('skips as already current, reading nothing, a message every row has read or counted', () => {
    const current = [row('ann', 'ben', sk(5), { last_read_sk: sk(5) }), row('ben', 'ann', sk(7), { last_read_sk: sk(7) })]
    for (const key of [sk(4), sk(5)]) {
      expect(applyStreamRecord(messageRecord(G, key, 'x'), current)).toMatchObject({ kind: 'skip', reason: 'already-current' })
    }
  })

  it('skips as already current, after a recount, a redelivered record whose rows were written', () => {
    const written = [row('ann', 'ben', sk(2), { last_read_sk: sk(1), unread_count: 1, unread_owner_uuid: 'ann', message: 'as stored' }), row('ben', 'ann', sk(2), { last_read_sk: sk(2), message: 'as stored' })]
    const outcome = decide(messageRecord(G, sk(2), 'stale copy', 'ben'), written, stored)
    expect(outcome).toMatchObject({ kind: 'skip', reason: 'already-current' })
  })

  it('ignores rows of other conversations and rows that are not conversation rows', () => {
    const mixed = [
      ...rows,
      row('cat', 'ann', sk(1), { unread_count: 1, unread_owner_uuid: 'cat' }, OTHER),
      { ...row('dan', 'ann', sk(1)), pk: 'USER#dan' },
      { pk: 'GRP#eve', sk: `MSG#${G}` } as never,
      { ...row('fay', 'ann', sk(1)), rev: '3' as never }
    ]
    const outcome = decide(messageRecord(G, sk(2), 'x', 'ben'), mixed, stored)
    expect(outcome.kind === 'write' && outcome.updates.map((update) => update.pk)).toEqual(['GRP#ann', 'GRP#ben'])
    expect(outcome.kind === 'write' && outcome.participants.map((p) => p.userUuid)).toEqual(['ann', 'ben'])
  })

  it('is a malformed skip for a range that is not { after?, through, messages }', () => {
    const record = messageRecord(G, sk(2), 'x')
    for (const range of [null, 'x', { through: 1, messages: [] }, { through: sk(2) }, { through: sk(2), messages: [{ sk: 2 }] }, { after: 3, through: sk(2), messages: [] }]) {
      expect(applyStreamRecord(record, rows, range as never)).toMatchObject({ kind: 'skip', reason: 'malformed', detail: expect.stringMatching(/range/) })
    }
  })

  it('names why it skips everything that is not a new message', () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ eventName: 'REMOVE', dynamodb: {} }, 'not-an-insert', /REMOVE/],
      [{ eventName: 'REMOVE', userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } }, 'not-an-insert', /TTL/],
      [{ eventName: 'MODIFY', dynamodb: {} }, 'not-an-insert', /MODIFY/],
      [{ eventName: 'INSERT', dynamodb: { Keys: { pk: { S: `MSG#${G}` } } } }, 'no-new-image', /NEW_IMAGE/],
      [insert({ pk: 'GRP#alice', sk: `MSG#${G}`, message: 'x', last_sk: sk(1) }), 'not-a-message', /GRP#alice/],
      [insert({ pk: `MSG#${G}`, sk: '#CONVERSATION', kind: 'direct' }), 'not-a-message', /#CONVERSATION/],
      [insert({ pk: `MSG#${G}`, sk: '#MEMBER#ann', user_handle: 'ann' }), 'not-a-message', /#MEMBER#/],
      [insert({ pk: 'USER#1', sk: sk(1) }), 'not-a-message', /USER#1/],
      [insert({ pk: 'MSG#general', sk: sk(1), message: 'x' }), 'not-a-message', /no conversation uuid/],
      [insert({ pk: `MSG#${G}`, sk: 'garbage', message: 'x' }), 'malformed', /sk garbage/],
      [insert({ pk: `MSG#${G}`, sk: sk(1) }), 'malformed', /message/],
      [{ eventName: 'INSERT', dynamodb: { NewImage: { pk: { N: '1' } } } }, 'malformed', /pk/],
      [{ eventName: 'UPSERT' }, 'malformed', /eventName/],
      [null, 'malformed', /not an object/]
    ]
    for (const [record, reason, detail] of cases) {
      const outcome = applyStreamRecord(record as DynamoDBStreamRecord, rows)
      expect(outcome).toMatchObject({ kind: 'skip', reason })
      expect(outcome.kind === 'skip' && outcome.detail).toMatch(detail)
    }
  })

  it('never throws, whatever it is given (fuzz)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), fc.anything(), fc.anything(), (record, rows, range) => {
        const outcome = applyStreamRecord(record as DynamoDBStreamRecord, rows as StoredMessageGroupRow[], range as MessageRange)
        expect(['read', 'write', 'skip']).toContain(outcome.kind)
      }),
      { numRuns: 2000 }
    )
    const attribute = fc.oneof(fc.record({ S: fc.string() }), fc.record({ S: fc.constantFrom(`MSG#${G}`, sk(1), sk(2)) }), fc.record({ N: fc.string() }), fc.anything())
    const key = fc.oneof(fc.string(), fc.constantFrom(sk(0), sk(1), sk(3), '#CONVERSATION'))
    fc.assert(
      fc.property(
        fc.constantFrom('INSERT', 'MODIFY', 'REMOVE', 'X', undefined),
        fc.dictionary(fc.constantFrom('pk', 'sk', 'message', 'user_uuid', 'other'), attribute),
        fc.array(fc.record({ pk: fc.oneof(fc.constant('GRP#ann'), fc.string(), fc.integer()), sk: fc.constantFrom(`MSG#${G}`, 'x'), last_sk: key, last_read_sk: fc.option(key), unread_count: fc.oneof(fc.integer(), fc.double(), fc.string()), rev: fc.oneof(fc.integer(), fc.string()) }, { requiredKeys: ['pk', 'sk'] })),
        fc.option(fc.record({ after: fc.option(key, { nil: undefined }), through: key, messages: fc.array(fc.record({ sk: key, user_uuid: fc.option(fc.string(), { nil: undefined }) })) })),
        (eventName, NewImage, rows, range) => {
          const outcome = applyStreamRecord({ eventName, dynamodb: { NewImage } } as DynamoDBStreamRecord, rows as never, range ?? undefined)
          expect(['read', 'write', 'skip']).toContain(outcome.kind)
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

describe('readStreamMessage and applyStreamRecord on hostile input', () => {
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
        expect(['read', 'write', 'skip']).toContain(applyStreamRecord(hostileRecord(recipe), []).kind)
      }),
      { numRuns: 2000 }
    )
  })

  it('never throws on rows or a range whose getters throw', () => {
    const trap = () => { throw { toString: () => { throw new Error('unprintable') } } }
    const rows = [new Proxy({}, { get: trap }), Object.defineProperty({}, 'pk', { get: trap })]
    const outcome = applyStreamRecord(messageRecord(G, sk(2), 'x'), rows as never)
    expect(['read', 'write', 'skip']).toContain(outcome.kind)
    const range = new Proxy({ through: sk(2), messages: [] }, { get: trap })
    expect(applyStreamRecord(messageRecord(G, sk(2), 'x'), [row('ann', 'ben', sk(1))], range)).toMatchObject({ kind: 'skip', reason: 'malformed' })
  })
})

/**
 * Folds Pattern D over any delivery of a two-person conversation's history, with the pure functions alone and a Map
 * for the table: sends at clocks that disagree (a write that commits after a newer one was applied), bursts past the
 * unread cap, the sender's own row written in the send or not, markRead (before and after the stream), records
 * delivered one by one or in batches, duplicated, in any order, some writes lost (a crash: the record comes again),
 * some planned on rows a markRead changed meanwhile (refused by the revision condition), and ranges read newest first
 * a page at a time. Checks every write (monotonic, conditioned on the revision read, of this conversation) and, once
 * every record was handled, what each member sees.
 */
describe('Pattern D folded over any delivery of a history (property)', () => {
  const users = ['ann', 'ben'] as const
  type Step =
    | { kind: 'send'; from: 0 | 1; second: number; senderRow: boolean }
    | { kind: 'burst'; from: 0 | 1; size: number }
    | { kind: 'deliver'; picks: number[]; batch: boolean; lost: number; page: number }
    | { kind: 'read'; who: 0 | 1; upTo: number | null }
    | { kind: 'race'; pick: number; who: 0 | 1 }
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.constantFrom(0 as const, 1 as const), second: fc.integer({ min: 1, max: 9 }), senderRow: fc.boolean() }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), batch: fc.boolean(), lost: fc.nat(3), page: fc.constantFrom(7, 50, 200) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('read' as const), who: fc.constantFrom(0 as const, 1 as const), upTo: fc.option(fc.nat(), { nil: null }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('race' as const), pick: fc.nat(), who: fc.constantFrom(0 as const, 1 as const) }) }
  )
  // A burst past the cap in one history of five: enough to reach it often, and the fold stays quick.
  const burst = fc.record({ kind: fc.constant('burst' as const), from: fc.constantFrom(0 as const, 1 as const), size: fc.integer({ min: UNREAD_COUNT_CAP - 5, max: UNREAD_COUNT_CAP + 30 }) })
  const histories = fc.record({
    steps: fc.tuple(fc.array(step, { maxLength: 16 }), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(burst, fc.nat()) })).map(([steps, chosen]) => {
      if (chosen) steps.splice(chosen[1] % (steps.length + 1), 0, chosen[0])
      return steps
    }),
    finalOrder: fc.array(fc.nat(), { maxLength: 40 }),
    page: fc.constantFrom(7, 200)
  })

  it('converges on exact counts and the newest preview, each write monotonic and conditional (1,000 histories)', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(histories, ({ steps, finalOrder, page: finalPage }) => {
        type Sent = RangeMessage & { user_uuid: string; message: string }
        const sent: Sent[] = []
        const records: DynamoDBStreamRecord[] = []
        const pending = new Set<number>()
        const reads: Record<string, string[]> = { ann: [], ben: [] }
        const table = new Map<string, StoredMessageGroupRow>()
        // A row of another conversation in the same lists: never touched.
        const stranger = row('ann', 'cat', sk(9, 'ZZZZ'), { unread_count: 2, unread_owner_uuid: 'ann' }, OTHER)
        const rowsNow = () => [...table.values(), stranger]
        const newest = () => sent.reduce((a, b) => (b.sk > a.sk ? b : a))
        const send = (from: string, key: string) => {
          const message = { sk: key, user_uuid: from, message: `m${sent.length}` }
          sent.push(message)
          records.push(messageRecord(G, key, `record copy of m${sent.length - 1}`, from))
          pending.add(records.length - 1)
          return message
        }
        /** The conditional UpdateItem: refused (nothing written) unless the row is at the revision read. */
        const write = (update: RowUpdate): boolean => {
          if (update.sk !== `MSG#${G}`) throw new Error(`an update of another conversation: ${update.sk}`)
          const current = table.get(update.pk)
          if (!current) throw new Error(`an update of ${update.pk}, which has no row: updates never create one`)
          if (current.rev !== update.rev) return false
          if (update.set.last_sk < current.last_sk) throw new Error(`${update.pk} back from ${current.last_sk} to ${update.set.last_sk}`)
          const { last_read_sk: _marker, unread_owner_uuid: _owner, ...rest } = current
          table.set(update.pk, { ...rest, ...update.set, rev: update.rev + 1 })
          return true
        }
        /** One delivery: one record at a time through applyStreamRecord, or a batch through planInboxUpdate. */
        const plan = (indexes: number[], batch: boolean, page: number): RowUpdate[] => {
          if (!batch || indexes.length === 1) {
            return indexes.flatMap((index) => {
              const outcome = decide(records[index]!, rowsNow(), sent, page)
              return outcome.kind === 'write' ? outcome.updates : []
            })
          }
          const applied = indexes.map((index) => sent[index]!.sk)
          const latestSk = applied.reduce((a, b) => (b > a ? b : a))
          let planned = planInboxUpdate({ rows: [...table.values()], latestSk, applied })
          if (planned.kind === 'read') planned = planInboxUpdate({ rows: [...table.values()], latestSk, applied, range: rangeOf(sent, planned.bounds) })
          if (planned.kind === 'read') throw new Error('a batch asked to read again')
          return planned.updates
        }
        const deliver = (indexes: number[], batch: boolean, page: number, lost = 0) => {
          const updates = plan(indexes, batch, page)
          // A crash after some writes: the rest never land, and the records come again later.
          const landed = lost > 0 ? updates.slice(0, Math.max(0, updates.length - lost)) : updates
          const refused = landed.filter((update) => !write(update))
          if (landed.length === updates.length && refused.length === 0) for (const index of indexes) pending.delete(index)
        }
        /** markRead as src/conversations/markRead.ts decides it, from the same pure functions. */
        const markRead = (owner: string, upTo: string | undefined) => {
          const current = table.get(`GRP#${owner}`)!
          const target = upTo !== undefined && upTo < current.last_sk ? upTo : upTo === undefined || upTo > newest().sk ? newest().sk : upTo
          reads[owner]!.push(target)
          const recipe = markReadRecipe(current.last_sk, readStateOf(current), target)
          if (recipe.kind === 'keep') return
          const bounds = recipeBounds(recipe)
          const next = applyRecipe(recipe, owner, bounds && rangeOf(sent, bounds))!
          if (!write({ pk: current.pk, sk: current.sk, rev: current.rev, set: { last_sk: current.last_sk, message: current.message, ...storedReadState(owner, next) } })) throw new Error('unreachable: no writer in between')
        }
        /** The sender's row in the send (updateSenderRow.ts): only forward, only past its marker. */
        const senderRow = (message: Sent) => {
          const current = table.get(`GRP#${message.user_uuid}`)!
          if (!(current.last_sk < message.sk && (current.last_read_sk === undefined || current.last_read_sk < message.sk))) return
          const { unread_owner_uuid: _owner, ...rest } = current
          table.set(current.pk, { ...rest, last_sk: message.sk, message: message.message, last_read_sk: message.sk, unread_count: 0, rev: current.rev + 1 })
        }

        // createMessageGroup: ann's first message, both rows at it.
        const first = send('ann', sk(0, '0000'))
        pending.delete(0)
        table.set('GRP#ann', row('ann', 'ben', first.sk, { message: first.message, last_read_sk: first.sk }))
        table.set('GRP#ben', row('ben', 'ann', first.sk, { message: first.message, unread_count: 1, unread_owner_uuid: 'ben' }))
        let id = 1
        const nextKey = (second: number) => sk(second, String(id++).padStart(4, '0'))
        for (const next of steps) {
          if (next.kind === 'send') {
            const message = send(users[next.from], nextKey(next.second))
            if (next.senderRow) senderRow(message)
          } else if (next.kind === 'burst') {
            const second = Number(newest().sk.slice(17, 19))
            for (let i = 0; i < next.size; i++) send(users[next.from], nextKey(second))
          } else if (next.kind === 'deliver') {
            deliver([...new Set(next.picks.map((pick) => pick % records.length))], next.batch, next.page, next.lost)
          } else if (next.kind === 'read') {
            markRead(users[next.who], next.upTo === null ? undefined : sent[next.upTo % sent.length]!.sk)
          } else {
            // A delivery planned on rows read before a markRead landed: its writes must be refused, not lose the read.
            const index = next.pick % records.length
            const updates = plan([index], false, 200)
            markRead(users[next.who], undefined)
            if (updates.map(write).some((ok) => !ok) || updates.length === 0) continue
            pending.delete(index)
          }
        }
        // Every record handled at least once more: the pending ones, in any order, one by one.
        const rest = [...pending]
        for (const pick of finalOrder) if (rest.length > 1) rest.push(...rest.splice(pick % rest.length, 1))
        for (let round = 0; pending.size > 0; round++) {
          if (round > 3) throw new Error('the pending records never settle')
          for (const index of [...rest]) if (pending.has(index)) deliver([index], false, finalPage)
        }

        const last = newest()
        for (const owner of users) {
          const stored = table.get(`GRP#${owner}`)!
          expect(stored.last_sk).toBe(last.sk)
          expect(stored.message).toBe(last.message)
          const own = sent.filter((m) => m.user_uuid === owner).map((m) => m.sk)
          const marker = [...reads[owner]!, ...own].reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined)
          const unread = Math.min(UNREAD_COUNT_CAP, sent.filter((m) => m.user_uuid !== owner && (marker === undefined || m.sk > marker)).length)
          expect(stored.unread_count).toBe(unread)
          expect(stored.unread_owner_uuid).toBe(unread > 0 ? owner : undefined)
          if (unread < UNREAD_COUNT_CAP) expect(stored.last_read_sk).toBe(marker)
          else {
            // At the cap a recount stops before reaching an older own message: the marker may lag it, never a read.
            const newestRead = reads[owner]!.reduce<string | undefined>((a, b) => (a === undefined || b > a ? b : a), undefined)
            if (newestRead !== undefined) expect(stored.last_read_sk! >= newestRead).toBe(true)
            if (marker !== undefined) expect(stored.last_read_sk === undefined || stored.last_read_sk <= marker).toBe(true)
          }
        }
        // Idempotent: once every record was delivered again (a read stopped at the cap may now reach an own message
        // further down and move the marker to it), delivering them yet again writes nothing.
        records.forEach((_, index) => deliver([index], false, finalPage))
        for (const record of records) expect(decide(record, rowsNow(), sent, finalPage)).toMatchObject({ kind: 'skip' })
      }),
      { numRuns: 1000 }
    )
  })
})
