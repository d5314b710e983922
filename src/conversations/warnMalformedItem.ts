/**
 * The default `onMalformedItem` of {@link createMessaging}: one warning naming the item's key and the problem. Leaving
 * data out of a list silently would be worse; the item's other attributes (message text) stay out of the log.
 */
export function warnMalformedItem(item: Record<string, unknown>, problem: string): void {
  console.warn(`dynamo-messaging: left a malformed item out of a list (pk ${String(item.pk)}, sk ${String(item.sk)}): ${problem}`)
}
