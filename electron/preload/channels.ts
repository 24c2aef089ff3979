// The IPC channels between the preload bridge and main, each named once. They move to shared/desk-api
// when the real desk API lands (DESIGN §1: one contract per boundary).
export const DeskChannel = {
  appVersion: 'desk:app-version',
} as const;
