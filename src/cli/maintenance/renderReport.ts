import type { AdoptTableResult, RepairTableResult } from '../../admin/index.js'
import { plural } from '../format.js'

/** The summary `adopt` prints, pure. `where` names the table and endpoint. */
export function renderAdoptReport(result: AdoptTableResult, where: string): string {
  const would = (done: string, planned: string) => (result.dryRun ? planned : done)
  const stream = result.table.streamEnabled
    ? would(`turned on (NEW_IMAGE): ${result.table.streamArn ?? ''}`.trimEnd(), 'would be turned on (NEW_IMAGE)')
    : `already on${result.table.streamArn ? `: ${result.table.streamArn}` : ''}`
  const created = result.table.indexesCreated
  const pairs = result.pairs
  const several = pairs.withSeveralConversations > 0
    ? `; ${plural(pairs.withSeveralConversations, 'pair')} had several conversations, linked to the newest`
    : ''
  const lines: Array<[string, string]> = [
    ['stream', stream],
    ['indexes', created.length > 0 ? `${created.join(', ')} ${would('created', 'would be created')}` : 'all present'],
    ['conversations', String(result.conversations)],
    ['members items', `${result.membersWritten} ${would('written', 'would be written')}`],
    [
      'pair links',
      `${pairs.linked} ${would('written', 'would be written')}, ${pairs.alreadyLinked} already there` +
        (pairs.startedByLibrary > 0 ? `, ${pairs.startedByLibrary} pairs already started with the library` : '') +
        several
    ],
    ...rowLines(result)
  ]
  const title = result.dryRun ? `dry run, nothing written: adopting ${where} would do this` : `adopted ${where}`
  const next =
    !result.dryRun && result.failed.length === 0
      ? ['', 'next: run the stream function on this stream (Pattern D; see examples/stream-lambda), then point your app at the library']
      : []
  return [title, ...table(lines), ...problemLines(result), ...next].join('\n')
}

/** The summary `repair` prints, pure. `scope` says which conversations. */
export function renderRepairReport(result: RepairTableResult, where: string, scope: string): string {
  const title = result.dryRun
    ? `dry run, nothing written: repairing ${scope} in ${where} would do this`
    : `repaired ${scope} in ${where}`
  return [title, ...table([['conversations', String(result.conversations)], ...rowLines(result)]), ...problemLines(result)].join('\n')
}

function rowLines(result: RepairTableResult): Array<[string, string]> {
  const { moved, removed, recreated, corrected } = result.rows
  const verb = result.dryRun ? 'would be ' : ''
  return [
    [
      'rows',
      `${moved} ${verb}moved to the newest message, ${plural(removed, 'duplicate')} ${verb}removed, ` +
        `${plural(recreated, 'lost row')} ${verb}rebuilt` +
        (corrected > 0 ? `, ${plural(corrected, 'unread count')} ${verb}corrected in place` : '')
    ],
    ['changed', `${plural(result.changed.messageGroupUuids.length, 'conversation')}, ${plural(result.changed.userUuids.length, 'user')}`],
    ...(result.throttleRetries > 0 ? [['throttled', `${plural(result.throttleRetries, 'request')} retried after a pause`] as [string, string]] : [])
  ]
}

/** What needs a person's attention, one conversation a line. */
function problemLines(result: RepairTableResult): string[] {
  const section = (heading: string, items: string[]) => (items.length > 0 ? ['', heading, ...items.map((item) => `  ${item}`)] : [])
  return [
    ...section(
      `${plural(result.unresolved.length, 'conversation')} whose participants the table does not name (their rows in view were moved):`,
      result.unresolved.map((u) => `${u.messageGroupUuid}: ${u.reason}`)
    ),
    ...section(
      `${plural(result.lost.length, 'lost row')} that could not be rebuilt:`,
      result.lost.map((l) => `${l.messageGroupUuid}: the row of ${l.ownerUuid}${l.otherUserUuid ? ` (describing ${l.otherUserUuid})` : ''}`)
    ),
    ...section(`${plural(result.withoutMessages.length, 'conversation')} with rows but no message, left as they are:`, result.withoutMessages),
    ...section(`${plural(result.failed.length, 'conversation')} not finished (run the command again):`, result.failed.map((f) => `${f.messageGroupUuid}: ${f.error}`))
  ]
}

function table(lines: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(...lines.map(([label]) => label.length))
  return lines.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`)
}
