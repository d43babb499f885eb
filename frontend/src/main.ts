import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { createBridge } from './lib/bridge';

const app = mount(App, {
  target: document.getElementById('app')!,
  props: { bridge: createBridge() },
});

export default app;
