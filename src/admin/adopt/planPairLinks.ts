import { messageGroupUuidFor } from '../../ids/messageGroupUuidFor.js'

/** One conversation as adopt leaves it: its two participants and its newest message. */
export interface AdoptedConversation {
  messageGroupUuid: string
  participantUuids: readonly [string, string]
  newestSortKey: string
}

/** A pair link to write: the pair's derived id ({@link messageGroupUuidFor}) pointing at one of its conversations. */
export interface PairLinkPlan {
  /** `messageGroupUuidFor(a, b)`: the id `createMessageGroup` looks at for the pair. */
  pairGroupUuid: string
  /** The conversation the pair continues in: of its conversations, the one with the newest message. */
  linkedGroupUuid: string
  /** How many conversations the pair has (the bootcamp started a new one each time). */
  conversations: number
}

/** {@link planPairLinks}'s answer. */
export interface PairLinksDecision {
  /** The links to write, sorted by pair id. */
  links: PairLinkPlan[]
  /** Pairs the library already started a conversation for (at their derived id) besides others: no link, sorted. */
  startedByLibrary: string[]
}

/**
 * Which pairs need a link so that `createMessageGroup` finds their conversation, pure. Conversations are grouped by
 * pair. A pair with a conversation at its derived id (the library started it) needs none: `createMessageGroup` finds
 * it. Otherwise the link names the conversation with the newest message (ties: the smallest id), where the pair
 * talks now; the others stay listed and readable as they were. Sorted by pair id, so runs are repeatable.
 */
export function planPairLinks(conversations: readonly AdoptedConversation[]): PairLinksDecision {
  const byPair = new Map<string, AdoptedConversation[]>()
  for (const conversation of conversations) {
    const [a, b] = conversation.participantUuids
    const pair = messageGroupUuidFor(a, b)
    byPair.set(pair, [...(byPair.get(pair) ?? []), conversation])
  }
  const plans: PairLinkPlan[] = []
  const startedByLibrary: string[] = []
  for (const [pairGroupUuid, ofPair] of byPair) {
    if (ofPair.some((conversation) => conversation.messageGroupUuid === pairGroupUuid)) {
      if (ofPair.length > 1) startedByLibrary.push(pairGroupUuid)
      continue
    }
    const newest = ofPair.reduce((best, conversation) =>
      conversation.newestSortKey > best.newestSortKey ||
      (conversation.newestSortKey === best.newestSortKey && conversation.messageGroupUuid < best.messageGroupUuid)
        ? conversation
        : best
    )
    plans.push({ pairGroupUuid, linkedGroupUuid: newest.messageGroupUuid, conversations: ofPair.length })
  }
  return { links: plans.sort((x, y) => (x.pairGroupUuid < y.pairGroupUuid ? -1 : 1)), startedByLibrary: startedByLibrary.sort() }
}
