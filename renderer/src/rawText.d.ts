/** Vite's `?raw` imports: the file's text, bundled at build time (docs/push.md in the Push dialog). */
declare module '*.md?raw' {
  const text: string;
  export default text;
}

/** Vite's `import.meta.glob` of files' text (`?raw`): the Push page in every language (pushDocs.ts). */
interface ImportMeta {
  glob<T>(pattern: string, options: { eager: true; import: 'default'; query: '?raw' }): Record<string, T>;
}
