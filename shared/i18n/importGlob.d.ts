/**
 * The one part of Vite's `import.meta.glob` the catalogs use (Vite, electron-vite and Vitest all
 * resolve it at build time). Declared here because neither TypeScript project loads `vite/client`.
 */
interface ImportMeta {
  glob<T>(pattern: string, options: { eager: true; import: 'default' }): Record<string, T>;
}
