// Help → Copy diagnostics. A hook left for the support part of issue #12 (versions, sync state, last
// errors, no secrets, put on the clipboard): the menu calls this function and nothing else, so that part
// fills in its body without touching the menu.
export function copyDiagnostics(): void {
  console.warn('Dispute Desk: "Copy diagnostics" is not implemented yet');
}
