/**
 * Sort keys found by probing DynamoDB Local with each as the `ExclusiveStartKey` of the two list queries, all
 * reverse-ordered: Pattern A (`pk = MSG#… AND sk >= "0"`) and Pattern B (`pk = GRP#…`, no range condition).
 */

/** Keys outside Pattern A's range: DynamoDB Local answers `ValidationException` ("does not match the range key predicate"). */
export const KEYS_THE_ENGINE_REFUSES_FOR_A = ['#MEMBERS', ' ', '\u0000', '\t', '/', '0']

/**
 * Keys DynamoDB Local takes for both queries but that no message or conversation row has: inside A's range, or any
 * key for B (whose query has no range condition; there the engine refuses only the empty string, which the cursor
 * check never let through). The last is over DynamoDB's 1024-byte sort key limit in UTF-8 but 600 characters long:
 * DynamoDB Local takes it, the real service does not.
 */
export const KEYS_NO_LISTING_RETURNS = ['zzz', '~', '00', 'MSG#x', '2026', 'a'.repeat(1025), 'é'.repeat(600)]

/** A seeds' bare timestamp and this library's `<time>#<ULID>`: keys the listings do return. */
export const LISTED_KEYS = ['2023-03-01T12:34:56.123456+00:00', '2026-01-01T00:00:00.000Z#01KAR1Z1X8Y3VQ7D0N4W6TJ2HF']

/** `[title, key]` pairs for `it.each`: long keys are named by their start and length, not printed whole. */
export const titled = (keys: readonly string[]): Array<[string, string]> =>
  keys.map((sk) => [sk.length > 12 ? `${JSON.stringify(sk.slice(0, 3))}… (${sk.length} characters)` : JSON.stringify(sk), sk])
