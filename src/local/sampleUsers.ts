import type { Participant } from '../types.js'

/**
 * The people of the sample conversations (`seedSampleConversations`, `dynamo-messaging seed`). Fixed uuids, so the
 * example API server's user directory (`examples/api-server/users.json`) names the same people.
 *
 * @example
 * ```ts
 * const { ada, ben } = SAMPLE_USERS
 * await messaging.listMessageGroups({ userUuid: ada.uuid })
 * ```
 */
export const SAMPLE_USERS = {
  ada: { uuid: '7d3c6a52-1f0b-4b8e-9a44-2c1e5f6a7b01', displayName: 'Ada Quill', handle: 'ada' },
  ben: { uuid: '7d3c6a52-1f0b-4b8e-9a44-2c1e5f6a7b02', displayName: 'Ben Okafor', handle: 'ben' },
  cleo: { uuid: '7d3c6a52-1f0b-4b8e-9a44-2c1e5f6a7b03', displayName: 'Cleo Marsh', handle: 'cleo' },
  dana: { uuid: '7d3c6a52-1f0b-4b8e-9a44-2c1e5f6a7b04', displayName: 'Dana Reyes', handle: 'dana' }
} as const satisfies Record<string, Participant>
