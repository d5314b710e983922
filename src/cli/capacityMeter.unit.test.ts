import { describe, expect, it } from 'vitest'
import { DynamoDBClient, ListTablesCommand, QueryCommand } from '@aws-sdk/client-dynamodb'
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'
import { meterCapacity } from './capacityMeter.js'

/** A client whose requests never leave the process: a fake answers right before serialization. */
function fakeClient(answer: (commandName: string) => Record<string, unknown>) {
  const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } })
  const inputs: Record<string, unknown>[] = []
  client.middlewareStack.add(
    (_next, context) => async (args) => {
      inputs.push(args.input as Record<string, unknown>)
      return { output: { $metadata: {}, ...answer(String(context.commandName)) }, response: {} }
    },
    { step: 'serialize', priority: 'high', name: 'fakeEngine' }
  )
  return { client, inputs }
}

describe('meterCapacity', () => {
  it('asks for TOTAL capacity on data requests and sums reads and writes apart', async () => {
    const { client, inputs } = fakeClient((name) =>
      name === 'BatchWriteItemCommand'
        ? { ConsumedCapacity: [{ TableName: 't', CapacityUnits: 2 }, { TableName: 'u', CapacityUnits: 1 }] }
        : { ConsumedCapacity: { TableName: 't', CapacityUnits: 0.5 } }
    )
    const meter = meterCapacity(client)
    const input = { TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } } }
    await client.send(new QueryCommand(input))
    // Document clients share the client's middleware: the library's requests are counted too.
    const doc = DynamoDBDocumentClient.from(client)
    await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } }))
    await doc.send(new BatchWriteCommand({ RequestItems: { t: [{ PutRequest: { Item: { pk: 'a', sk: 'b' } } }] } }))
    expect(inputs.map((sent) => sent.ReturnConsumedCapacity)).toEqual(['TOTAL', 'TOTAL', 'TOTAL'])
    expect(input).not.toHaveProperty('ReturnConsumedCapacity') // the caller's object is not changed
    expect(meter.snapshot()).toEqual({ readUnits: 1, writeUnits: 3, requests: 3 })
  })

  it('leaves other commands alone and ignores answers without capacity', async () => {
    const { client, inputs } = fakeClient(() => ({ TableNames: [] }))
    const meter = meterCapacity(client)
    await client.send(new ListTablesCommand({}))
    await client.send(new QueryCommand({ TableName: 't', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } } }))
    expect(inputs[0]).not.toHaveProperty('ReturnConsumedCapacity')
    expect(meter.snapshot()).toEqual({ readUnits: 0, writeUnits: 0, requests: 0 })
  })
})
