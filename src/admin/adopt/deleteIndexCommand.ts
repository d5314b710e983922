/**
 * The AWS CLI command that deletes an index of a table.
 *
 * @example
 * ```ts
 * deleteIndexCommand('cruddur-messages', 'message-group-sk-index')
 * // aws dynamodb update-table --table-name cruddur-messages --global-secondary-index-updates '[{"Delete":{"IndexName":"message-group-sk-index"}}]'
 * ```
 */
export const deleteIndexCommand = (tableName: string, indexName: string | undefined): string =>
  `aws dynamodb update-table --table-name ${tableName} --global-secondary-index-updates '[{"Delete":{"IndexName":"${indexName}"}}]'`
