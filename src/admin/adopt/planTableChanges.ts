import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  GlobalSecondaryIndexDescription,
  KeySchemaElement,
  Projection,
  TableDescription
} from '@aws-sdk/client-dynamodb'
import { Validator } from '../../validation/validate.js'
import { deleteIndexCommand } from './deleteIndexCommand.js'

/**
 * What a table needs to work with this library, decided by {@link planTableChanges}: the changes `adoptTable` may
 * make, and the problems it must not try to fix.
 *
 * @example
 * ```ts
 * const { Table } = await client.send(new DescribeTableCommand({ TableName: 'cruddur-messages' }))
 * const changes: TableChanges = planTableChanges(Table!, tableDefinition())
 * if (changes.problems.length > 0) console.error(changes.problems.join('\n'))
 * ```
 */
export interface TableChanges {
  /** The table has no stream: turn one on, `NEW_IMAGE`. */
  enableStream: boolean
  /** Indexes of the definition the table lacks, ready for `UpdateTable`'s `GlobalSecondaryIndexUpdates` (one per call). */
  createIndexes: GlobalSecondaryIndex[]
  /** The attribute definitions those creations need. */
  attributeDefinitions: AttributeDefinition[]
  /**
   * The table or an index is being created, updated or deleted: wait until it is `ACTIVE` (or gone) and plan again;
   * nothing else is decided then.
   */
  wait: boolean
  /** What is wrong and cannot be changed in place, each with what to do. Nothing may be changed while there are any. */
  problems: string[]
  /**
   * Indexes of the table that the definition does not have (an old layout's `message-group-sk-index`): left in place,
   * unused by the library; each costs writes until it is deleted.
   */
  unusedIndexes: string[]
  /** What works as it is but costs more than it needs to (an index that projects more than the definition), and how to save it. */
  notes: string[]
}

/**
 * Compares a table (`DescribeTable`'s `Table`) with the definition the library creates (`tableDefinition()` of `dynamo-messaging`):
 * the key, the stream and every global secondary index of the definition (key schema, attribute types, projection).
 * Pure. A missing stream or index is a change to make; anything that exists but is wrong is a problem, stated with the
 * fix, since DynamoDB cannot change a key schema, a projection or a stream's view type in place. An index that projects
 * more than the definition's (0.2's `unread-index`) works and is a note; an index the definition does not have (the
 * old layouts' `message-group-sk-index`) is left alone and named in `unusedIndexes`. Anything but two objects is a
 * {@link ValidationError}; fields of the wrong shape read as absent.
 *
 * @example
 * ```ts
 * const changes = planTableChanges(Table!, tableDefinition({ tableName: 'cruddur-messages' }))
 * // a table made by the bootcamp's schema-load: enableStream, createIndexes inbox-index and unread-index,
 * // unusedIndexes ['message-group-sk-index']
 * ```
 */
export function planTableChanges(table: TableDescription, expected: CreateTableCommandInput): TableChanges {
  const check = new Validator()
  check.object('table', table)
  check.object('definition', expected)
  check.done()
  const problems: string[] = []
  const typeOf = new Map(list<AttributeDefinition>(table.AttributeDefinitions).map((a) => [a.AttributeName, a.AttributeType]))
  const expectedTypeOf = new Map(list<AttributeDefinition>(expected.AttributeDefinitions).map((a) => [a.AttributeName, a.AttributeType]))
  const name = table.TableName ?? expected.TableName ?? 'the table'

  if (!sameKey(table.KeySchema, typeOf, expected.KeySchema, expectedTypeOf)) {
    problems.push(
      `table ${name} has the key ${describeKey(table.KeySchema, typeOf)}; the library needs ` +
        `${describeKey(expected.KeySchema, expectedTypeOf)}. A table's key cannot be changed: create a table with ` +
        '`dynamo-messaging schema-load` and copy the items'
    )
  }

  const stream = table.StreamSpecification
  const enableStream = stream?.StreamEnabled !== true
  if (!enableStream && stream?.StreamViewType !== 'NEW_IMAGE' && stream?.StreamViewType !== 'NEW_AND_OLD_IMAGES') {
    problems.push(
      `the stream of ${name} is ${stream?.StreamViewType ?? 'of an unknown view type'}; Pattern D reads each new message ` +
        "from the record's new image, so it needs NEW_IMAGE (or NEW_AND_OLD_IMAGES). A stream's view type cannot be " +
        `changed: turn it off (aws dynamodb update-table --table-name ${name} --stream-specification StreamEnabled=false), ` +
        "run adopt again to turn on a NEW_IMAGE stream, and point the stream function's event source mapping at it"
    )
  }

  // A table or index in the middle of a change (an index being created or deleted, maybe by an adopt that was
  // stopped) is waited for and looked at again: nothing is decided from a passing state.
  const settling = (status: unknown) => status !== undefined && status !== 'ACTIVE'
  const indexes = list<GlobalSecondaryIndexDescription>(table.GlobalSecondaryIndexes)
  const nothing = { enableStream: false, createIndexes: [], attributeDefinitions: [], wait: false, problems: [], unusedIndexes: [], notes: [] }
  if (settling(table.TableStatus) || indexes.some((index) => settling(index.IndexStatus))) return { ...nothing, wait: true }

  const present = new Map(indexes.map((index) => [index.IndexName, index]))
  const wanted = new Set(list<GlobalSecondaryIndex>(expected.GlobalSecondaryIndexes).map((index) => index.IndexName))
  const unusedIndexes = indexes.flatMap((index) => (index.IndexName && !wanted.has(index.IndexName) ? [index.IndexName] : [])).sort()
  const notes: string[] = []
  const createIndexes: GlobalSecondaryIndex[] = []
  const attributeDefinitions = new Map<string, AttributeDefinition>()
  for (const want of list<GlobalSecondaryIndex>(expected.GlobalSecondaryIndexes)) {
    const have = present.get(want.IndexName)
    for (const { AttributeName } of list<KeySchemaElement>(want.KeySchema)) {
      const wanted = expectedTypeOf.get(AttributeName)
      const actual = typeOf.get(AttributeName)
      if (actual !== undefined && actual !== wanted) {
        problems.push(
          `attribute ${AttributeName} is defined as type ${actual} on ${name}; index ${want.IndexName} needs ${wanted}`
        )
      } else if (!have && AttributeName && wanted) {
        attributeDefinitions.set(AttributeName, { AttributeName, AttributeType: wanted })
      }
    }
    if (!have) {
      createIndexes.push(withTableThroughput(want, table))
      continue
    }
    if (!sameKey(have.KeySchema, typeOf, want.KeySchema, expectedTypeOf)) {
      problems.push(
        `index ${want.IndexName} of ${name} has the key ${describeKey(have.KeySchema, typeOf)}; the library needs ` +
          `${describeKey(want.KeySchema, expectedTypeOf)}. An index's key cannot be changed: delete the index ` +
          `(${deleteIndexCommand(name, want.IndexName)}) and run adopt again to create it`
      )
    } else if (!covers(have.Projection, want.Projection)) {
      problems.push(
        `index ${want.IndexName} of ${name} projects ${describeProjection(have.Projection)}; the library needs ` +
          `${describeProjection(want.Projection)} (its readers take what they show from the index). A projection ` +
          `cannot be changed: delete the index (${deleteIndexCommand(name, want.IndexName)}) and run adopt again to create it`
      )
    } else if (!covers(want.Projection, have.Projection)) {
      notes.push(
        `index ${want.IndexName} of ${name} projects ${describeProjection(have.Projection)}; ` +
          `${describeProjection(want.Projection)} is enough. It works as it is, but every change of a projected ` +
          `attribute also writes the index. To save that, delete it after the cut-over (${deleteIndexCommand(name, want.IndexName)}) ` +
          'and run adopt again to create it'
      )
    }
  }
  // With a problem nothing may change: no partial fixes.
  if (problems.length > 0) return { ...nothing, problems, unusedIndexes }
  return { enableStream, createIndexes, attributeDefinitions: [...attributeDefinitions.values()], wait: false, problems, unusedIndexes, notes }
}

/** Whether an index projecting `have` holds every attribute one projecting `want` holds. */
function covers(have: Projection | undefined, want: Projection | undefined): boolean {
  if (have?.ProjectionType === 'ALL') return true
  if (want?.ProjectionType === 'ALL') return false
  if (want?.ProjectionType !== 'INCLUDE') return have?.ProjectionType === 'KEYS_ONLY' || have?.ProjectionType === 'INCLUDE'
  const held = new Set(have?.ProjectionType === 'INCLUDE' ? (have.NonKeyAttributes ?? []) : [])
  return (want.NonKeyAttributes ?? []).every((attribute) => held.has(attribute))
}

/** `ALL`, `KEYS_ONLY`, or `INCLUDE (a, b)`. */
function describeProjection(projection: Projection | undefined): string {
  const type = projection?.ProjectionType ?? 'nothing'
  return type === 'INCLUDE' ? `INCLUDE (${(projection?.NonKeyAttributes ?? []).join(', ')})` : type
}

/** An index to create on `table`: the same billing as the table, and for a provisioned table its capacity. */
function withTableThroughput(index: GlobalSecondaryIndex, table: TableDescription): GlobalSecondaryIndex {
  const { ProvisionedThroughput: _, ...rest } = index
  const onDemand = table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST'
  const read = table.ProvisionedThroughput?.ReadCapacityUnits
  const write = table.ProvisionedThroughput?.WriteCapacityUnits
  if (onDemand || !read || !write) return onDemand ? rest : index
  return { ...rest, ProvisionedThroughput: { ReadCapacityUnits: read, WriteCapacityUnits: write } }
}

/** The objects of an array; anything else is none (a description of the wrong shape reads as absent). */
function list<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter((item) => typeof item === 'object' && item !== null) as T[]) : []
}

type Types = Map<string | undefined, string | undefined>

function sameKey(have: KeySchemaElement[] | undefined, haveTypes: Types, want: KeySchemaElement[] | undefined, wantTypes: Types): boolean {
  return describeKey(have, haveTypes) === describeKey(want, wantTypes)
}

/** `message_group_uuid (HASH, S), sk (RANGE, S)`. */
function describeKey(key: KeySchemaElement[] | undefined, types: Types): string {
  const parts = list<KeySchemaElement>(key)
  if (parts.length === 0) return 'none'
  return parts.map((part) => `${part.AttributeName} (${part.KeyType}, ${types.get(part.AttributeName) ?? '?'})`).join(', ')
}
