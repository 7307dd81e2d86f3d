import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { StoreProvider } from './state/store';
import './styles/index.css';

const root = createRoot(document.getElementById('root')!);
// Without the preload bridge (the page opened outside the app) there is nothing to talk to.
if (typeof window.porthole === 'undefined') {
  root.render(<p className="splash">Porthole’s window must be opened by the Porthole app.</p>);
} else {
  root.render(
    <StrictMode>
      <StoreProvider api={window.porthole}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
