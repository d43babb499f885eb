/// <reference types="svelte" />
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

declare module 'virtual:maillab-web-strings' {
  /** the ui.web.* keys of each catalog, for the screens shown before the Go side runs */
  const strings: Record<string, Record<string, string>>;
  export default strings;
}
