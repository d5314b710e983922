import type { AttributeValue } from '@aws-sdk/client-dynamodb'

/** An item as the low-level API carries it: attribute names to typed values. */
export type RawItem = Record<string, AttributeValue>

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8')

/**
 * A number's size as DynamoDB counts it: about one byte per two significant digits, plus one. Leading and trailing
 * zeros are not significant.
 */
export function numberSize(text: string): number {
  const digits = text.replace(/^[-+]/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '')
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1
}

/** The size in bytes of one attribute value, by DynamoDB's item-size rules (docs: "Item sizes and formats"). */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S)
  if (value.N !== undefined) return numberSize(value.N)
  if (value.B !== undefined) return value.B.byteLength
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + utf8(s), 0)
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + numberSize(n), 0)
  if (value.BS !== undefined) return value.BS.reduce((sum, b) => sum + b.byteLength, 0)
  // Lists and maps: 3 bytes, plus 1 byte per element, plus the elements (and, for a map, its keys).
  if (value.L !== undefined) return 3 + value.L.reduce((sum, v) => sum + 1 + attributeValueSize(v), 0)
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + 1 + utf8(k) + attributeValueSize(v), 0)
  throw new Error(`unknown attribute value type: ${Object.keys(value).join(', ')}`)
}

/** An item's size: the UTF-8 length of each attribute name plus its value's size. What reads and writes are billed by. */
export function itemSize(item: RawItem): number {
  let size = 0
  for (const [name, value] of Object.entries(item)) size += utf8(name) + attributeValueSize(value)
  return size
}
