// The 'sync.*' channels: where the sync stands, and "sync now".
import type { DeskHandlers } from '../handlers';
import type { SyncEngine } from './engine';

export function syncHandlers(sync: SyncEngine): DeskHandlers {
  return {
    'sync.status': () => sync.status(),
    'sync.now': () => sync.syncNow(),
  };
}
