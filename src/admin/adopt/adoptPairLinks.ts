import { DeleteCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { invalidate } from '../../cache/invalidate.js'
import { forEachLimited } from '../../concurrency/forEachLimited.js'
import type { StoreContext } from '../../createStoreContext.js'
import { messagePk } from '../../keys/keys.js'
import { linkedGroupOf, pairLinkItem, PAIR_LINK_ATTRIBUTE, readConversationSlot } from '../../table/pairLink.js'
import { isConditionFailed } from '../../transactions/isConditionFailed.js'
import { readCancellation } from '../../transactions/readCancellation.js'
import { describeError } from '../maintenance/describeError.js'
import type { FailedConversation } from '../maintenance/forEachConversation.js'
import { LEGACY_MEMBERS_SK } from '../maintenance/legacyLayout.js'
import type { ConversationInventory } from '../maintenance/scanTable.js'
import type { RunOptions } from '../maintenance/validateMaintenanceOptions.js'
import type { ConversationMigration } from './migrateConversation.js'
import { planPairLinks, type AdoptedConversation } from './planPairLinks.js'

/** What happened to the pair links: see {@link AdoptTableResult.pairs}. */
export interface PairLinksResult {
  linked: number
  moved: number
  alreadyLinked: number
  startedByLibrary: number
  withSeveralConversations: number
  /** The derived ids whose slot this wrote (or would write). */
  changed: string[]
}

type Outcome = 'linked' | 'moved' | 'alreadyLinked' | 'startedByLibrary'

/**
 * Gives every pair its link, once each conversation's members are known: a 0.2 link at `#MEMBERS` of the pair's
 * derived id moves to `#CONVERSATION` (put and delete in one transaction, keeping its target); a pair with none gets
 * one to its conversation with the newest message ({@link planPairLinks}), by a put conditioned on an empty slot. A
 * slot the scan saw linked costs nothing more; a slot taken meanwhile by a conversation the library started stays that
 * conversation's. Failures are added to `failed` under the derived id.
 */
export async function adoptPairLinks(
  store: StoreContext,
  inventory: ReadonlyMap<string, ConversationInventory>,
  migrations: readonly ConversationMigration[],
  run: Pick<RunOptions, 'dryRun' | 'concurrency' | 'onProgress'>,
  failed: FailedConversation[]
): Promise<PairLinksResult> {
  const migrated = new Map(migrations.map((migration) => [migration.messageGroupUuid, migration]))
  const adopted: AdoptedConversation[] = []
  for (const [messageGroupUuid, entry] of inventory) {
    const migration = migrated.get(messageGroupUuid)
    const members = migration?.participants?.map((participant) => participant.uuid) ?? (entry.conversation && !entry.group ? entry.members : [])
    const newestSortKey = migration?.newestSk ?? entry.newestSk
    if (members.length === 2 && newestSortKey !== undefined) {
      adopted.push({ messageGroupUuid, participantUuids: [members[0]!, members[1]!], newestSortKey })
    }
  }
  const { links } = planPairLinks(adopted)
  const tasks: Array<{ pairGroupUuid: string; run: () => Promise<Outcome> }> = []
  for (const [pairGroupUuid, entry] of inventory) {
    const target = entry.legacyLink
    if (target !== undefined) tasks.push({ pairGroupUuid, run: () => moveLink(store, pairGroupUuid, target, entry, run.dryRun) })
  }
  for (const plan of links) {
    const entry = inventory.get(plan.pairGroupUuid)
    if (entry?.legacyLink !== undefined) continue // moved above, to the conversation it named
    const outcome = async (): Promise<Outcome> =>
      entry?.link !== undefined ? 'alreadyLinked' : run.dryRun ? 'linked' : putLink(store, plan.pairGroupUuid, plan.linkedGroupUuid)
    tasks.push({ pairGroupUuid: plan.pairGroupUuid, run: outcome })
  }

  const result: PairLinksResult = {
    linked: 0,
    moved: 0,
    alreadyLinked: 0,
    startedByLibrary: 0,
    withSeveralConversations: links.filter((plan) => plan.conversations > 1).length,
    changed: []
  }
  let done = 0
  run.onProgress?.({ phase: 'pairs', done, total: tasks.length })
  await forEachLimited(tasks, run.concurrency, async (task) => {
    try {
      const outcome = await task.run()
      result[outcome]++
      if (outcome === 'linked' || outcome === 'moved') {
        result.changed.push(task.pairGroupUuid)
        if (!run.dryRun) await invalidate(store, { conversations: [task.pairGroupUuid] })
      }
    } catch (error) {
      failed.push({ messageGroupUuid: task.pairGroupUuid, error: `pair link: ${describeError(error)}` })
    }
    run.onProgress?.({ phase: 'pairs', done: ++done, total: tasks.length })
  })
  result.changed.sort()
  return result
}

/** Moves a 0.2 pair link from `#MEMBERS` to `#CONVERSATION` of the derived id, in one transaction. */
async function moveLink(store: StoreContext, pairGroupUuid: string, target: string, entry: ConversationInventory, dryRun: boolean): Promise<Outcome> {
  // The slot already holds a conversation (the library started one there since): it is the pair's; the old link goes.
  const taken = entry.conversation || entry.link !== undefined
  if (dryRun) return entry.conversation ? 'startedByLibrary' : 'moved'
  const oldLink = {
    TableName: store.tableName,
    Key: { pk: messagePk(pairGroupUuid), sk: LEGACY_MEMBERS_SK },
    ConditionExpression: '#link = :target',
    ExpressionAttributeNames: { '#link': PAIR_LINK_ATTRIBUTE },
    ExpressionAttributeValues: { ':target': target }
  }
  if (!taken) {
    try {
      await store.documentClient.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: store.tableName, Item: pairLinkItem(pairGroupUuid, target), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Delete: oldLink }
          ]
        })
      )
      return 'moved'
    } catch (error) {
      const cancellation = readCancellation(error)
      if (!cancellation || cancellation.conditionFailed.length === 0) throw error
      if (!cancellation.conditionFailed.includes(0)) return 'alreadyLinked' // another run moved it
    }
  }
  try {
    await store.documentClient.send(new DeleteCommand(oldLink))
  } catch (error) {
    if (!isConditionFailed(error)) throw error
  }
  return linkedGroupOf(await readConversationSlot(store, pairGroupUuid)) === undefined ? 'startedByLibrary' : 'moved'
}

/** A new pair link, by a put conditioned on an empty slot; a taken slot is read to say by what. */
async function putLink(store: StoreContext, pairGroupUuid: string, linkedGroupUuid: string): Promise<Outcome> {
  try {
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: pairLinkItem(pairGroupUuid, linkedGroupUuid), ConditionExpression: 'attribute_not_exists(pk)' })
    )
    return 'linked'
  } catch (error) {
    if (!isConditionFailed(error)) throw error
    return linkedGroupOf(await readConversationSlot(store, pairGroupUuid)) === undefined ? 'startedByLibrary' : 'alreadyLinked'
  }
}
