import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { itemSize, type RawItem } from './itemSize.js'

/** What billing needs of a table: its key attributes and, per global secondary index, its keys and projection. */
export interface TableSchema {
  keys: string[]
  indexes: Array<{ name: string; keys: string[]; projection: 'ALL' | 'KEYS_ONLY' | string[] }>
}

/** The schema of a CreateTable input (tableDefinition()'s, or the seeds'). */
export function schemaOf(definition: CreateTableCommandInput): TableSchema {
  const names = (keys: CreateTableCommandInput['KeySchema']) => (keys ?? []).map((key) => key.AttributeName!)
  return {
    keys: names(definition.KeySchema),
    indexes: (definition.GlobalSecondaryIndexes ?? []).map((index) => {
      const type = index.Projection?.ProjectionType ?? 'ALL'
      return {
        name: index.IndexName!,
        keys: names(index.KeySchema),
        projection: type === 'INCLUDE' ? [...(index.Projection?.NonKeyAttributes ?? [])] : type === 'KEYS_ONLY' ? 'KEYS_ONLY' : 'ALL'
      }
    })
  }
}

/**
 * The entry `item` has in `index`: its projected attributes plus the index's and the table's keys, or undefined when
 * the item is absent or lacks one of the index's key attributes (a sparse index leaves it out).
 */
export function indexEntry(schema: TableSchema, index: TableSchema['indexes'][number], item: RawItem | undefined): RawItem | undefined {
  if (!item || index.keys.some((key) => item[key] === undefined)) return undefined
  if (index.projection === 'ALL') return item
  const kept = new Set([...schema.keys, ...index.keys, ...(index.projection === 'KEYS_ONLY' ? [] : index.projection)])
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)))
}

/** The index writes one item's change costs in `index`, each entry written rounded up to 1 KB. */
export function indexWriteUnits(schema: TableSchema, index: TableSchema['indexes'][number], before: RawItem | undefined, after: RawItem | undefined): number {
  const [was, is] = [indexEntry(schema, index, before), indexEntry(schema, index, after)]
  const units = (entry: RawItem) => Math.max(1, Math.ceil(itemSize(entry) / 1024))
  if (!was && !is) return 0
  if (!was) return units(is!)
  if (!is) return units(was)
  const sameKey = index.keys.every((key) => JSON.stringify(was[key]) === JSON.stringify(is[key]))
  // A changed index key is a delete of the old entry and a put of the new one; a changed projection, one update.
  if (!sameKey) return units(was) + units(is)
  return canonical(was) === canonical(is) ? 0 : units(is)
}

const canonical = (item: RawItem): string =>
  JSON.stringify(Object.keys(item).sort().map((name) => [name, item[name]]))
