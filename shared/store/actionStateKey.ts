import { createHash } from 'node:crypto';

/**
 * The key both stores file an action's state under (migration 6): the SHA-256 of its id in hex.
 * An action id can be long (escaped vendor ids), and an Azure SQL key is bounded in bytes; the
 * id itself is kept beside the key for listing.
 */
export function actionStateKey(actionId: string): string {
  return createHash('sha256').update(actionId, 'utf8').digest('hex');
}
