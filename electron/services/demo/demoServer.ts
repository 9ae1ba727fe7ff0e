/**
 * The demo's 4D Server: a 4D Server double (named as such everywhere) over a folder, set as that
 * folder's push target with a fresh secret, so Push can be tried end to end without a 4D Server.
 * The secret is stored before the settings that need it, and a set-up that fails closes the
 * double again: no server is left listening, no settings ask for a secret that is not there.
 */
import { randomBytes } from 'node:crypto';
import type { PushService } from '../push/pushService.js';
import { FourDServerDouble } from './fourDServerDouble.js';

export async function startDemoServer(root: string, push: PushService): Promise<FourDServerDouble> {
  const secret = randomBytes(24).toString('base64url');
  const double = await FourDServerDouble.start({ root, secret });
  try {
    // Bound to the double's address: a secret is only ever sent to the server it was given for.
    await push.setSecret(root, secret, double.handlerUrl);
    await push.saveSettings(root, { url: double.handlerUrl, auth: 'bearer' });
  } catch (error) {
    await double.close();
    throw error;
  }
  return double;
}
