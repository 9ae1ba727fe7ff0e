/**
 * The demo's 4D Server: a 4D Server double (named as such everywhere) over a folder, set as that
 * folder's push target with a fresh secret, so Push can be tried end to end without a 4D Server.
 */
import { randomBytes } from 'node:crypto';
import type { PushService } from '../push/pushService.js';
import { FourDServerDouble } from './fourDServerDouble.js';

export async function startDemoServer(root: string, push: PushService): Promise<FourDServerDouble> {
  const secret = randomBytes(24).toString('base64url');
  const double = await FourDServerDouble.start({ root, secret });
  await push.saveSettings(root, { url: double.handlerUrl, auth: 'bearer' });
  await push.setSecret(root, secret);
  return double;
}
