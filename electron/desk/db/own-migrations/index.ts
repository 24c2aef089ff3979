// The desk's own store's migrations, in order (run by shared/db/migrations.ts from db/own-store.ts).
import type { Migration } from '../../../../shared/db/migrations';
import { ownStore } from './0001-own-store';
import { finishedCommandsWithoutText } from './0002-finished-commands-without-text';

export const OWN_MIGRATIONS: readonly Migration[] = [ownStore, finishedCommandsWithoutText];
