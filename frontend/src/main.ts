import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { createBridge, type WasmBridge } from './lib/bridge';
import WebShell from './lib/components/WebShell/WebShell.svelte';

const bridge = createBridge();
const app = mount(App, {
  target: document.getElementById('app')!,
  props: { bridge },
});

// The web edition: the loading screen, then the service worker's notes.
if (bridge.transport === 'wasm') {
  const shell = document.createElement('div');
  document.body.append(shell);
  mount(WebShell, { target: shell, props: { bridge: bridge as WasmBridge } });
}

export default app;
