/** DynamoDB orders string keys by UTF-8 bytes; for the ASCII keys used here that is plain code-unit order. */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
