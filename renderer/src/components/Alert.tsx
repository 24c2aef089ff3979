import type { ReactNode } from 'react';
import './components.css';

/** A message the screen reader reads out as it appears: role=alert for errors, status for the rest. */
export function Alert({ tone, children }: { tone: 'error' | 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <div className={`alert alert--${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}
