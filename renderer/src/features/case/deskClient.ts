// The case screen's only way to the desk: window.desk, with a clear error when the page has no bridge
// (a plain browser opened without the host's secret).
import type { DeskBridge } from '../../../../shared/desk-api/contract';

export function desk(): DeskBridge {
  const bridge = window.desk;
  if (!bridge) throw new Error('window.desk is missing: open the desk from the address the host printed');
  return bridge;
}
