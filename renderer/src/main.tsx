import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
// Sets up i18next (every namespace, the system's language) before anything renders.
import './i18n';
import { installBrowserBridge } from './desk/bridge/install';

// In a plain browser opened by the browser host, window.desk must exist before the first render.
installBrowserBridge();

const container = document.getElementById('root');
if (!container) throw new Error('renderer/index.html has no #root element to render into');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
