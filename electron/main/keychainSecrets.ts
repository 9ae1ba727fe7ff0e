/**
 * Push secrets, encrypted with the OS keychain (Electron's safeStorage). On Linux without a
 * keyring Electron falls back to a hard-coded key ("basic_text"), which is no better than clear
 * text: refused, with the reason. (The demo's secret never comes here: AppService keeps it in memory.)
 */
import { safeStorage } from 'electron';
import { EncryptedSecretStore } from '../services/push/secretStore.js';

export function keychainSecrets(dataDir: string): EncryptedSecretStore {
  return new EncryptedSecretStore(
    dataDir,
    {
      encrypt: (plain) => {
        if (!safeStorage.isEncryptionAvailable()) throw new Error('The system keychain is not available.');
        if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
          throw new Error(
            'No system keyring (GNOME Keyring or KWallet) is running: the secret is not stored.',
          );
        }
        return safeStorage.encryptString(plain);
      },
      decrypt: (cipher) => safeStorage.decryptString(cipher),
    },
    'the system keychain',
  );
}
