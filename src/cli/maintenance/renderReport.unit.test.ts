import { describe, expect, it } from 'vitest'
import type { AdoptTableResult, RepairTableResult } from '../../admin/index.js'
import { renderAdoptReport, renderRepairReport } from './renderReport.js'

const G = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
const U = '11111111-1111-4111-8111-111111111111'
const repair = (extra: Partial<RepairTableResult> = {}): RepairTableResult => ({
  dryRun: false,
  conversations: 8,
  rows: { moved: 3, removed: 1, recreated: 2, corrected: 0 },
  lost: [],
  unresolved: [],
  withoutMessages: [],
  failed: [],
  changed: { messageGroupUuids: [G], userUuids: [U, U.replace(/1/g, '2')] },
  throttleRetries: 0,
  ...extra
})
const adopt = (extra: Partial<AdoptTableResult> = {}): AdoptTableResult => ({
  ...repair(),
  table: { streamEnabled: true, streamArn: 'arn:aws:dynamodb:x:1:table/t/stream/2024', indexesCreated: [] },
  membersWritten: 8,
  pairs: { linked: 7, alreadyLinked: 0, startedByLibrary: 0, withSeveralConversations: 1 },
  ...extra
})

describe('renderAdoptReport', () => {
  it('says what was done, line by line, and what to do next', () => {
    expect(renderAdoptReport(adopt(), 'table t at http://localhost:8000')).toBe(
      [
        'adopted table t at http://localhost:8000',
        '  stream         turned on (NEW_IMAGE): arn:aws:dynamodb:x:1:table/t/stream/2024',
        '  indexes        all present',
        '  conversations  8',
        '  members items  8 written',
        '  pair links     7 written, 0 already there; 1 pair had several conversations, linked to the newest',
        '  rows           3 moved to the newest message, 1 duplicate removed, 2 lost rows rebuilt',
        '  changed        1 conversation, 2 users',
        '',
        'next: run the stream function on this stream (Pattern D; see examples/stream-lambda), then point your app at the library'
      ].join('\n')
    )
  })

  it('a dry run says "would", and nothing is called done', () => {
    const text = renderAdoptReport(adopt({ dryRun: true, table: { streamEnabled: true, indexesCreated: ['message-group-sk-index'] } }), 'table t')
    expect(text).toContain('dry run, nothing written: adopting table t would do this')
    expect(text).toContain('stream         would be turned on (NEW_IMAGE)')
    expect(text).toContain('indexes        message-group-sk-index would be created')
    expect(text).toContain('members items  8 would be written')
    expect(text).toContain('3 would be moved to the newest message, 1 duplicate would be removed, 2 lost rows would be rebuilt')
    expect(text).not.toContain('next:')
  })
})

describe('renderRepairReport', () => {
  it('names unread counts corrected in place, only when there are some, with "would" in a dry run', () => {
    const rows = { moved: 0, removed: 0, recreated: 0, corrected: 2 }
    expect(renderRepairReport(repair({ rows }), 'table t', 'every conversation')).toContain(
      '  rows           0 moved to the newest message, 0 duplicates removed, 0 lost rows rebuilt, 2 unread counts corrected in place'
    )
    expect(renderRepairReport(repair({ rows: { ...rows, corrected: 1 }, dryRun: true }), 'table t', 'every conversation')).toContain(
      '0 lost rows would be rebuilt, 1 unread count would be corrected in place'
    )
    expect(renderRepairReport(repair(), 'table t', 'every conversation')).not.toContain('corrected')
  })

  it('lists each conversation that needs attention under its heading', () => {
    const text = renderRepairReport(
      repair({
        unresolved: [{ messageGroupUuid: G, reason: 'only one participant is named' }],
        lost: [{ messageGroupUuid: G, ownerUuid: U }],
        failed: [{ messageGroupUuid: G, error: 'InternalServerError' }],
        throttleRetries: 4
      }),
      'table t',
      'every conversation'
    )
    expect(text.split('\n')).toEqual([
      'repaired every conversation in table t',
      '  conversations  8',
      '  rows           3 moved to the newest message, 1 duplicate removed, 2 lost rows rebuilt',
      '  changed        1 conversation, 2 users',
      '  throttled      4 requests retried after a pause',
      '',
      '1 conversation whose participants the table does not name (their rows in view were moved):',
      `  ${G}: only one participant is named`,
      '',
      '1 lost row that could not be rebuilt:',
      `  ${G}: the row of ${U}`,
      '',
      '1 conversation not finished (run the command again):',
      `  ${G}: InternalServerError`
    ])
  })
})
