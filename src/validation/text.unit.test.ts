import { describe, expect, it } from 'vitest'
import { checkDisplayName, checkHandle, checkMessageText, type TextVerdict } from './text.js'

const message = (text: string) => checkMessageText(text, { maxChars: 1024 })
const name = (text: string) => checkDisplayName(text, { maxChars: 128 })
const handle = (text: string) => checkHandle(text, { maxChars: 64 })
const problem = (verdict: TextVerdict) => (verdict.ok ? 'ok' : verdict.problem)
const stored = (verdict: TextVerdict) => (verdict.ok ? verdict.text : `refused: ${verdict.problem}`)

describe('text rules, one class at a time', () => {
  it('lone surrogates: rejected everywhere; a surrogate pair is one character', () => {
    for (const text of ['a\ud800b', 'a\udc00', '\ud83d']) {
      expect([problem(message(text)), problem(name(text)), problem(handle(text))]).toEqual(['invalid', 'invalid', 'invalid'])
    }
    expect(stored(message('😀'))).toBe('😀')
    expect(stored(name('Ada 😀'))).toBe('Ada 😀')
  })

  it('CRLF, lone CR, U+2028 and U+2029: one newline in messages, refused in names and handles', () => {
    expect(stored(message('one\r\ntwo\rthree\u2028four\u2029five'))).toBe('one\ntwo\nthree\nfour\nfive')
    expect(stored(message('\r\n\r\nhi\r\n'))).toBe('hi')
    for (const text of ['Ada\r\nQuill', 'Ada\rQuill', 'Ada\u2028Quill', 'Ada\u2029Quill']) {
      expect(problem(name(text))).toBe('invalid')
      expect(problem(handle(text))).toBe('invalid')
    }
  })

  it('newline and tab: allowed in messages only', () => {
    expect(stored(message('line\nbreak\ttab'))).toBe('line\nbreak\ttab')
    expect(problem(name('Ada\tQuill'))).toBe('invalid')
    expect(problem(name('Ada\nQuill'))).toBe('invalid')
    expect(problem(handle('ada\t'))).toBe('invalid')
  })

  it('other C0 and C1 controls, NEL and DEL: rejected everywhere', () => {
    for (const control of ['\u0000', '\u0007', '\u000b', '\u000c', '\u001b', '\u007f', '\u0080', '\u0085', '\u009f']) {
      expect(problem(message(`a${control}b`))).toBe('invalid')
      expect(problem(name(`a${control}b`))).toBe('invalid')
      expect(problem(handle(`a${control}b`))).toBe('invalid')
    }
  })

  it('bidirectional embeddings, overrides and isolates: rejected everywhere', () => {
    for (let code = 0x202a; code <= 0x202e; code++) {
      const control = String.fromCodePoint(code)
      expect([problem(message(`a${control}b`)), problem(name(`a${control}b`)), problem(handle(`a${control}b`))]).toEqual(['invalid', 'invalid', 'invalid'])
    }
    for (let code = 0x2066; code <= 0x2069; code++) {
      const control = String.fromCodePoint(code)
      expect([problem(message(`a${control}b`)), problem(name(`a${control}b`)), problem(handle(`a${control}b`))]).toEqual(['invalid', 'invalid', 'invalid'])
    }
    // Alone, an override is still refused as what it is, not reported as blank.
    expect(problem(message('\u202e'))).toBe('invalid')
  })

  it('bidi marks LRM, RLM and ALM: allowed in messages and names (they act like one letter), not in handles', () => {
    expect(stored(message('שלום \u200eOK\u200f!'))).toBe('שלום \u200eOK\u200f!')
    expect(stored(message('مرحبا\u061c 42'))).toBe('مرحبا\u061c 42')
    expect(stored(name('דוד\u200e (David)'))).toBe('דוד\u200e (David)')
    for (const mark of ['\u200e', '\u200f', '\u061c']) {
      expect(problem(handle(`ada${mark}`))).toBe('invalid')
      expect(problem(message(mark))).toBe('blank')
      expect(problem(name(mark))).toBe('blank')
    }
  })

  it('invisible characters alone are blank; inside visible text they stay', () => {
    const invisible = [
      '\u200b', // zero-width space
      '\u2060', // word joiner
      '\ufeff', // byte order mark
      '\u3164', // Hangul filler
      '\u115f\u1160', // Hangul choseong and jungseong fillers
      '\uffa0', // halfwidth Hangul filler
      '\ufe0f', // variation selector 16
      '\u{e0041}\u{e007f}', // tag characters
      '\u00ad', // soft hyphen (a format character)
      '\u2800', // Braille pattern blank
      '\u0301\u0308', // combining marks with no base
      '\u200d\u200c', // joiners alone
      ' \u200b\u00a0\u3000\u2060 ' // mixed with white space
    ]
    for (const text of invisible) {
      expect(problem(message(text))).toBe('blank')
      expect(problem(name(text))).toBe('blank')
      expect(problem(handle(text))).toBe('invalid')
    }
    for (const text of ['👨\u200d👩\u200d👧', 'می\u200cخواهم', '❤\ufe0f', 'e\u0301', '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}', 'a\u200bb']) {
      expect(stored(message(text))).toBe(text)
      expect(stored(name(text))).toBe(text)
    }
  })

  it('white space only is blank, and text is trimmed', () => {
    expect(problem(message(' \t\n '))).toBe('blank')
    expect(problem(name('   '))).toBe('blank')
    expect(problem(handle(''))).toBe('blank')
    expect(stored(message('  hi  '))).toBe('hi')
    expect(stored(name('  Ada  '))).toBe('Ada')
    expect(problem(handle(' ada'))).toBe('invalid')
  })

  it('counts code points after normalisation against the limit', () => {
    expect(stored(message('😀'.repeat(1024)))).toHaveLength(2048)
    expect(problem(message('😀'.repeat(1025)))).toBe('too_long')
    // 1022 CRLF pairs between two letters: 2046 code units as typed, 1024 characters once normalised.
    expect(problem(message(`a${'\r\n'.repeat(1022)}b`))).toBe('ok')
    expect(problem(message(`a${'\n'.repeat(1023)}b`))).toBe('too_long')
    expect(problem(name('x'.repeat(129)))).toBe('too_long')
    expect(problem(handle('a'.repeat(65)))).toBe('invalid')
  })
})
