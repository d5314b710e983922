/**
 * Table maintenance, apart from the main entry so neither an application nor a stream Lambda pays for it:
 * {@link adoptTable} migrates a table the bootcamp's code or this library's 0.2 made to the layout of this version
 * (stream on, the new indexes, conversation and membership items, one row per member), and {@link repairTable} brings
 * conversation rows back in line with the messages and the members. The `dynamo-messaging adopt` and `repair`
 * commands run them.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { adoptTable, repairTable } from 'dynamo-messaging/admin'
 *
 * const client = new DynamoDBClient({})
 * await adoptTable({ client, tableName: 'cruddur-messages' })
 * await repairTable({ client, tableName: 'cruddur-messages', scope: { userUuid: ada.uuid } })
 * ```
 *
 * @module dynamo-messaging/admin
 */
export { adoptTable } from './adopt/adoptTable.js'
export type { AdoptTableOptions, AdoptTableResult } from './adopt/adoptTable.js'
export { planTableChanges } from './adopt/planTableChanges.js'
export type { TableChanges } from './adopt/planTableChanges.js'
export { repairTable } from './repair/repairTable.js'
export type { RepairScope, RepairTableOptions, RepairTableResult } from './repair/repairTable.js'
export type { MaintenanceOptions, MaintenanceProgress } from './maintenance/validateMaintenanceOptions.js'
export type { FailedConversation } from './maintenance/forEachConversation.js'
export type { MaintenanceResult } from './maintenance/MaintenanceResult.js'
export { TableLayoutError } from '../errors/TableLayoutError.js'
export { MessagingError } from '../errors/MessagingError.js'
export type { MessagingErrorCode } from '../errors/MessagingError.js'
export { ValidationError } from '../errors/ValidationError.js'
export type { ValidationIssue } from '../errors/ValidationError.js'
