// The renderer's desk client: the only way screens, hooks and stores reach the desk (DESIGN §1). Import
// from here; bridge/ is for main.tsx alone, which gives a plain browser its window.desk.
export {
  askDesk,
  callDesk,
  DeskCallError,
  hasDesk,
  onDeskEvent,
  problemOf,
  toDeskProblem,
  toErrorCode,
  type DeskAnswer,
  type DeskArgs,
  type DeskProblem,
} from './client';
export { useDeskCommand, type DeskCommand } from './useDeskCommand';
export { useDeskQuery, type DeskQuery, type DeskQueryState, type RefetchOn } from './useDeskQuery';
export { ReloadScheduler } from './reloadScheduler';
export { NewestNext } from './newestNext';
