import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App.tsx';
import { startI18n } from './i18n/i18n.ts';
import './styles.css';
import './fonts/scriptFonts.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
const mount = root;

// The first screen waits for its words; screens that need another catalog suspend until it loads.
void startI18n().then(() => {
  createRoot(mount).render(
    <StrictMode>
      <Suspense fallback={null}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </Suspense>
    </StrictMode>,
  );
});
