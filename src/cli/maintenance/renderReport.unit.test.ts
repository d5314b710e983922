import { describe, expect, it } from 'vitest'
import type { AdoptTableResult, RepairTableResult } from '../../admin/index.js'
import { renderAdoptReport, renderRepairReport } from './renderReport.js'

const G = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399'
const U = '11111111-1111-4111-8111-111111111111'
const repair = (extra: Partial<RepairTableResult> = {}): RepairTableResult => ({
  dryRun: false,
  conversations: 8,
  rows: { moved: 3, corrected: 1, recreated: 2, removed: 1 },
  notAdopted: [],
  withoutMessages: [],
  failed: [],
  changed: { messageGroupUuids: [G], userUuids: [U, U.replace(/1/g, '2')] },
  throttleRetries: 0,
  ...extra
})
const adopt = (extra: Partial<AdoptTableResult> = {}): AdoptTableResult => ({
  dryRun: false,
  table: {
    streamEnabled: true,
    streamArn: 'arn:aws:dynamodb:x:1:table/t/stream/2024',
    indexesCreated: ['inbox-index', 'unread-index'],
    unusedIndexes: ['message-group-sk-index'],
    notes: []
  },
  conversations: 8,
  migrated: 8,
  written: { conversations: 8, memberships: 16, rows: 16 },
  deleted: { rows: 13, membersItems: 0 },
  updated: 0,
  writtenAfterAdopt: { items: 0, messageGroupUuids: [] },
  pairs: { linked: 7, moved: 0, alreadyLinked: 0, startedByLibrary: 0, withSeveralConversations: 1 },
  unresolved: [],
  withoutMessages: [],
  failed: [],
  changed: { messageGroupUuids: [G], userUuids: [U] },
  throttleRetries: 0,
  ...extra
})

describe('renderAdoptReport', () => {
  it('says what was done, line by line, how to delete the unused index, and what to do next', () => {
    expect(renderAdoptReport(adopt(), 'table t at http://localhost:8000', 't')).toBe(
      [
        'adopted table t at http://localhost:8000',
        '  stream         turned on (NEW_IMAGE): arn:aws:dynamodb:x:1:table/t/stream/2024',
        '  indexes        inbox-index, unread-index created',
        '  conversations  8 in the table, 8 migrated',
        '  written        8 conversation items, 16 membership items, 16 rows',
        '  deleted        13 old rows, 0 #MEMBERS items',
        '  pair links     7 written, 0 moved from #MEMBERS, 0 already there; 1 pair had several conversations, linked to the newest',
        '  changed        1 conversation, 1 user',
        '',
        'index message-group-sk-index is not used by the library (new rows never appear in it). Once nothing of the old layout runs, delete it:',
        `  aws dynamodb update-table --table-name t --global-secondary-index-updates '[{"Delete":{"IndexName":"message-group-sk-index"}}]'`,
        '',
        "next: run the library's stream function on this stream (Pattern D; see examples/stream-lambda), then point your app at the library"
      ].join('\n')
    )
  })

  it('a dry run says "would", and nothing is called done', () => {
    const text = renderAdoptReport(adopt({ dryRun: true, table: { ...adopt().table, streamArn: undefined as never } }), 'table t', 't')
    expect(text).toContain('dry run, nothing written: adopting table t would do this')
    expect(text).toContain('stream         would be turned on (NEW_IMAGE)')
    expect(text).toContain('indexes        inbox-index, unread-index would be created')
    expect(text).toContain('conversations  8 in the table, 8 would be migrated')
    expect(text).toContain('written        8 conversation items, 16 membership items, 16 rows would be written')
    expect(text).toContain('deleted        13 old rows, 0 #MEMBERS items would be deleted')
    expect(text).not.toContain('next:')
  })

  it('reports old-layout items written after an earlier adopt, rows brought in line, notes and what is left', () => {
    const text = renderAdoptReport(
      adopt({
        migrated: 1,
        updated: 2,
        writtenAfterAdopt: { items: 3, messageGroupUuids: [G] },
        unresolved: [{ messageGroupUuid: G, reason: 'only one participant is named' }],
        table: { ...adopt().table, notes: ['index unread-index of t projects INCLUDE (message_group_uuid, unread_count); KEYS_ONLY is enough'] }
      }),
      'table t',
      't'
    )
    expect(text).toContain('  updated        2 rows brought to a newer message')
    expect(text).toContain('3 old-layout items in 1 conversation an earlier adopt had migrated: something still writes the old layout')
    expect(text).toContain(`\n  ${G}\n`)
    expect(text).toContain('1 conversation whose two members the table does not name')
    expect(text).toContain(`  ${G}: only one participant is named`)
    expect(text).toContain('note: index unread-index of t projects INCLUDE (message_group_uuid, unread_count); KEYS_ONLY is enough')
  })
})

describe('renderRepairReport', () => {
  it('counts every kind of row write and lists each conversation that needs attention under its heading', () => {
    const text = renderRepairReport(
      repair({ notAdopted: [G], withoutMessages: [G], failed: [{ messageGroupUuid: G, error: 'InternalServerError' }], throttleRetries: 4 }),
      'table t',
      'every conversation'
    )
    expect(text.split('\n')).toEqual([
      'repaired every conversation in table t',
      '  conversations  8',
      '  rows           3 moved to the newest message, 1 corrected in place, 2 rebuilt, 1 row of non-members deleted',
      '  changed        1 conversation, 2 users',
      '  throttled      4 requests retried after a pause',
      '',
      '1 conversation with messages but no membership items: this table is not adopted yet, run dynamo-messaging adopt:',
      `  ${G}`,
      '',
      '1 conversation without a message to bring rows to, left as they are:',
      `  ${G}`,
      '',
      '1 conversation not finished (run the command again):',
      `  ${G}: InternalServerError`
    ])
  })

  it('a dry run says "would be"', () => {
    expect(renderRepairReport(repair({ dryRun: true }), 'table t', 'conversation x')).toContain(
      '3 would be moved to the newest message, 1 would be corrected in place, 2 would be rebuilt, 1 row of non-members would be deleted'
    )
  })
})
