/** Vite's `?raw` imports: the file's text, bundled at build time (docs/push.md in the Push dialog). */
declare module '*.md?raw' {
  const text: string;
  export default text;
}
