import type { AdoptTableResult, RepairTableResult } from '../../admin/index.js'
import { deleteIndexCommand } from '../../admin/adopt/deleteIndexCommand.js'
import { plural } from '../format.js'

/** The summary `adopt` prints, pure. `where` names the table and endpoint, `tableName` the table. */
export function renderAdoptReport(result: AdoptTableResult, where: string, tableName: string): string {
  const would = (done: string, planned: string) => (result.dryRun ? planned : done)
  const stream = result.table.streamEnabled
    ? would(`turned on (NEW_IMAGE): ${result.table.streamArn ?? ''}`.trimEnd(), 'would be turned on (NEW_IMAGE)')
    : `already on${result.table.streamArn ? `: ${result.table.streamArn}` : ''}`
  const created = result.table.indexesCreated
  const { written, deleted, pairs } = result
  const several = pairs.withSeveralConversations > 0
    ? `; ${plural(pairs.withSeveralConversations, 'pair')} had several conversations, linked to the newest`
    : ''
  const late = result.writtenAfterAdopt
  const lines: Array<[string, string]> = [
    ['stream', stream],
    ['indexes', created.length > 0 ? `${created.join(', ')} ${would('created', 'would be created')}` : 'all present'],
    ['conversations', `${result.conversations} in the table, ${result.migrated} ${would('migrated', 'would be migrated')}`],
    [
      'written',
      `${plural(written.conversations, 'conversation item')}, ${plural(written.memberships, 'membership item')}, ` +
        `${plural(written.rows, 'row')}${result.dryRun ? ' would be written' : ''}`
    ],
    [
      'deleted',
      `${plural(deleted.rows, 'old row')}, ${plural(deleted.membersItems, '#MEMBERS item')}${result.dryRun ? ' would be deleted' : ''}`
    ],
    ...(result.updated > 0 ? [['updated', `${plural(result.updated, 'row')} ${would('brought', 'would be brought')} to a newer message`] as [string, string]] : []),
    [
      'pair links',
      `${pairs.linked} ${would('written', 'would be written')}, ${pairs.moved} ${would('moved', 'would be moved')} from #MEMBERS, ` +
        `${pairs.alreadyLinked} already there` +
        (pairs.startedByLibrary > 0 ? `, ${plural(pairs.startedByLibrary, 'pair')} already started with the library` : '') +
        several
    ],
    ...changedLines(result)
  ]
  const title = result.dryRun ? `dry run, nothing written: adopting ${where} would do this` : `adopted ${where}`
  const after = late.items > 0
    ? [
        '',
        `${plural(late.items, 'old-layout item')} in ${plural(late.messageGroupUuids.length, 'conversation')} an earlier adopt had ` +
          `migrated: something still writes the old layout (the bootcamp's app or stream function, or this library's 0.2). ` +
          `${would('Deleted', 'They would be deleted')}, and the rows brought in line; stop the old code and run adopt again until this is 0.`,
        ...late.messageGroupUuids.map((id) => `  ${id}`)
      ]
    : []
  const unused = result.table.unusedIndexes.flatMap((index) => [
    '',
    `index ${index} is not used by the library (new rows never appear in it). Once nothing of the old layout runs, delete it:`,
    `  ${deleteIndexCommand(tableName, index)}`
  ])
  const notes = result.table.notes.flatMap((note) => ['', `note: ${note}`])
  const next =
    !result.dryRun && result.failed.length === 0
      ? ['', "next: run the library's stream function on this stream (Pattern D; see examples/stream-lambda), then point your app at the library"]
      : []
  return [title, ...table(lines), ...after, ...problems(result), ...unused, ...notes, ...next].join('\n')
}

/** The summary `repair` prints, pure. `scope` says which conversations. */
export function renderRepairReport(result: RepairTableResult, where: string, scope: string): string {
  const title = result.dryRun
    ? `dry run, nothing written: repairing ${scope} in ${where} would do this`
    : `repaired ${scope} in ${where}`
  const { moved, corrected, recreated, removed } = result.rows
  const verb = result.dryRun ? 'would be ' : ''
  const lines: Array<[string, string]> = [
    ['conversations', String(result.conversations)],
    [
      'rows',
      `${moved} ${verb}moved to the newest message, ${corrected} ${verb}corrected in place, ${recreated} ${verb}rebuilt, ` +
        `${plural(removed, 'row')} of non-members ${verb}deleted`
    ],
    ...changedLines(result)
  ]
  return [
    title,
    ...table(lines),
    ...section(
      `${plural(result.notAdopted.length, 'conversation')} with messages but no membership items: this table is not adopted yet, run dynamo-messaging adopt:`,
      result.notAdopted
    ),
    ...problems(result)
  ].join('\n')
}

function changedLines(result: AdoptTableResult | RepairTableResult): Array<[string, string]> {
  return [
    ['changed', `${plural(result.changed.messageGroupUuids.length, 'conversation')}, ${plural(result.changed.userUuids.length, 'user')}`],
    ...(result.throttleRetries > 0 ? [['throttled', `${plural(result.throttleRetries, 'request')} retried after a pause`] as [string, string]] : [])
  ]
}

/** What needs a person's attention, one conversation a line. */
function problems(result: AdoptTableResult | RepairTableResult): string[] {
  const unresolved = 'unresolved' in result ? result.unresolved : []
  return [
    ...section(
      `${plural(unresolved.length, 'conversation')} whose two members the table does not name, left as they are ` +
        '(write their two #MEMBER#<uuid> items, then run adopt again):',
      unresolved.map((u) => `${u.messageGroupUuid}: ${u.reason}`)
    ),
    ...section(`${plural(result.withoutMessages.length, 'conversation')} without a message to bring rows to, left as they are:`, result.withoutMessages),
    ...section(`${plural(result.failed.length, 'conversation')} not finished (run the command again):`, result.failed.map((f) => `${f.messageGroupUuid}: ${f.error}`))
  ]
}

/** A heading and one indented line per item; nothing when there is no item. */
function section(heading: string, items: readonly string[]): string[] {
  return items.length > 0 ? ['', heading, ...items.map((item) => `  ${item}`)] : []
}

function table(lines: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...lines.map(([label]) => label.length))
  return lines.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)
}
