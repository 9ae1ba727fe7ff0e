/** The store's environment in a real window: the browser's confirm, a download link, the clipboard. */
import type { StoreEnvironment } from './storeTypes.js';

export const domEnvironment: StoreEnvironment = {
  confirm: async (question) => window.confirm(`${question.message}\n\n${question.detail ?? ''}`.trim()),

  download(fileName, text, type) {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  },

  copy: (text) => navigator.clipboard.writeText(text),
};
