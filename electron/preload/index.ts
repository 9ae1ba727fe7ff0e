/**
 * Preload: will expose the contract's named methods through contextBridge (shell issue).
 * Nothing is exposed yet: the renderer has no access to Node or Electron.
 */
export {};
