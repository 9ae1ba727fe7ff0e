/**
 * The renderer's Content-Security-Policy, sent as a header by both front doors that serve it
 * (Electron's app:// protocol and the browser-mode server): our own scripts only, no eval, no
 * remote anything.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
