/**
 * The rules for text people type and others read: message text, display names and handles. Pure, so each class of
 * character has its own unit test; `Validator.messageText`, `displayName` and `handle` turn the verdicts into codes.
 *
 * | class | message text | display name | handle |
 * |---|---|---|---|
 * | lone surrogates (not well-formed UTF-16) | reject | reject | reject |
 * | CRLF, lone CR, U+2028, U+2029 | normalised to `\n` | reject | reject |
 * | newline, tab | allowed | reject | reject |
 * | other C0 and C1 controls (U+0085 included), DEL | reject | reject | reject |
 * | bidi embeddings, overrides, isolates (U+202A–U+202E, U+2066–U+2069) | reject | reject | reject |
 * | bidi marks LRM, RLM, ALM (U+200E, U+200F, U+061C) | allowed | allowed | reject |
 * | invisible: default-ignorable, format (`Cf`), U+2800, marks with no base | allowed inside visible text; none visible → blank | same | reject |
 */

/** The verdict on one text: the cleaned text to store, or the problem and a sentence for people. */
export type TextVerdict =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly problem: 'blank' | 'invalid' | 'too_long'; readonly reason: string }

/** The limits a text is checked against, in code points after normalisation. */
export interface TextLimits {
  readonly maxChars: number
}

// Windows clients send CRLF, old Mac ones CR; U+2028/U+2029 are Unicode's own line and paragraph separators.
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g
// A lone surrogate matches \p{Cs} under the u flag; real DynamoDB may refuse such a string where DynamoDB Local stores it.
const LONE_SURROGATE = /\p{Cs}/u
// C0 controls except tab and newline, DEL, and the C1 controls (NEL, U+0085, among them).
const MESSAGE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/
// A name is one line of plain text: no control at all, no line or paragraph separator.
const NAME_CONTROL = /[\p{Cc}\u2028\u2029]/u
// Embeddings, overrides and isolates reorder the text after them, beyond the field itself (a name could flip the
// message shown next to it). The marks LRM, RLM and ALM are not here: they act like one letter of their direction.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/
// A character that shows something: not white space, not default-ignorable (U+200B, U+2060, U+FEFF, U+3164, U+115F,
// U+1160, U+FFA0, variation selectors, tags, …), not a format character, not a control, not a combining mark (which
// shows only on a base), and not U+2800, the Braille pattern with no dots.
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{M}\u2800]/u
const HANDLE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/

/**
 * Message text: line breaks normalised to `\n`, trimmed, then checked. Newline and tab are the only controls allowed.
 *
 * @example
 * ```ts
 * checkMessageText('  hi\r\nthere ', { maxChars: 1024 }) // { ok: true, text: 'hi\nthere' }
 * checkMessageText('\u200b', { maxChars: 1024 }) // { ok: false, problem: 'blank', … }
 * ```
 */
export function checkMessageText(value: string, limits: TextLimits): TextVerdict {
  if (LONE_SURROGATE.test(value)) return notWellFormed
  const text = value.replace(LINE_BREAK, '\n').trim()
  if (MESSAGE_CONTROL.test(text)) return invalid('must not contain control characters other than newline and tab')
  return checkShownText(text, limits)
}

/**
 * A display name: trimmed, one line, no control characters at all.
 *
 * @example
 * ```ts
 * checkDisplayName(' Ada Quill ', { maxChars: 128 }) // { ok: true, text: 'Ada Quill' }
 * checkDisplayName('Ada\u202eQuill', { maxChars: 128 }) // { ok: false, problem: 'invalid', … }
 * ```
 */
export function checkDisplayName(value: string, limits: TextLimits): TextVerdict {
  if (LONE_SURROGATE.test(value)) return notWellFormed
  const text = value.trim()
  if (NAME_CONTROL.test(text)) return invalid('must be one line without control characters')
  return checkShownText(text, limits)
}

/**
 * A handle: ASCII letters, digits, `_`, `.` and `-`, not starting with `.` or `-`; never trimmed or changed, so
 * every invisible, control or non-ASCII character is refused.
 *
 * @example
 * ```ts
 * checkHandle('ada', { maxChars: 64 }) // { ok: true, text: 'ada' }
 * checkHandle('ada\u200b', { maxChars: 64 }) // { ok: false, problem: 'invalid', … }
 * ```
 */
export function checkHandle(value: string, limits: TextLimits): TextVerdict {
  if (value.length === 0) return { ok: false, problem: 'blank', reason: 'must not be empty' }
  if (value.length > limits.maxChars || !HANDLE.test(value)) {
    return invalid(`must be 1 to ${limits.maxChars} letters, digits, '_', '.' or '-', not starting with '.' or '-'`)
  }
  return { ok: true, text: value }
}

/** The checks message text and display names share once their own controls are ruled out. */
function checkShownText(text: string, limits: TextLimits): TextVerdict {
  if (BIDI_CONTROL.test(text)) {
    return invalid('must not contain bidirectional embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069)')
  }
  if (!VISIBLE.test(text)) return { ok: false, problem: 'blank', reason: 'must contain a visible character' }
  if (countCodePoints(text) > limits.maxChars) {
    return { ok: false, problem: 'too_long', reason: `must be at most ${limits.maxChars} characters` }
  }
  return { ok: true, text }
}

const invalid = (reason: string): TextVerdict => ({ ok: false, problem: 'invalid', reason })
const notWellFormed = invalid('must be well-formed Unicode (no lone surrogates)')

/** Characters as people and the limits count them: code points, so an emoji outside the BMP counts once. */
function countCodePoints(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}
