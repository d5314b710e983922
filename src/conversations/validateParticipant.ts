import type { Participant } from '../types.js'
import type { Validator } from '../validation/validate.js'

/** Validates a `{ uuid, displayName, handle }` at `path`, returning the cleaned participant. */
export function validateParticipant(check: Validator, path: string, value: unknown): Participant {
  const fields = check.object(path, value)
  return {
    uuid: check.uuid(`${path}.uuid`, fields.uuid),
    displayName: check.displayName(`${path}.displayName`, fields.displayName),
    handle: check.handle(`${path}.handle`, fields.handle)
  }
}
