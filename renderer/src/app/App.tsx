import { useEffect, useState } from 'react';
import type { CSSProperties } from 'react';

/**
 * What the preload exposes as window.desk today. It is absent in a plain browser, so every use checks.
 * The full typed desk API replaces this when it lands in shared/desk-api.
 */
interface DeskBridge {
  appVersion(): Promise<string>;
}

function deskBridge(): DeskBridge | undefined {
  return (window as Window & { desk?: DeskBridge }).desk;
}

export function App() {
  const version = useAppVersion();
  return (
    <main style={placeholderStyle}>
      <h1>Dispute Desk</h1>
      <p>The dispute workspace is coming soon.</p>
      {version && <p>Version {version}</p>}
    </main>
  );
}

// Set through the DOM's style property, which the strict Content-Security-Policy allows (it forbids
// inline <style> elements and style attributes written in HTML).
const placeholderStyle: CSSProperties = {
  fontFamily: 'system-ui, sans-serif',
  maxWidth: '40rem',
  margin: '20vh auto',
  padding: '0 1.5rem',
  lineHeight: 1.5,
};

function useAppVersion(): string | null {
  const [version, setVersion] = useState<string | null>(null);
  useEffect(() => {
    const desk = deskBridge();
    if (!desk) return;
    let unmounted = false;
    desk.appVersion().then(
      (appVersion) => {
        if (!unmounted) setVersion(appVersion);
      },
      // The version is decoration: when it cannot be read the screen simply goes without it.
      () => undefined,
    );
    return () => {
      unmounted = true;
    };
  }, []);
  return version;
}
