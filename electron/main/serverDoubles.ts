/**
 * `--double`: a 4D Server double (named as such: a stand-in, not a 4D Server) on loopback for the
 * folder opened from the command line, set as its push target, as `mobile-sessions serve --double`
 * does in the browser mode. Its secret stays in memory, never in the keychain; the doubles close
 * when the app quits. The double's code loads only when one is asked for.
 */
import type { FourDServerDouble } from '../services/demo/fourDServerDouble.js';
import type { PushService } from '../services/push/pushService.js';
import { pushSecretKey, type SecretStoreWithMemoryKeys } from '../services/push/secretStore.js';

export class ServerDoubles {
  private readonly running: FourDServerDouble[] = [];

  constructor(
    private readonly push: PushService,
    private readonly secrets: SecretStoreWithMemoryKeys,
  ) {}

  async start(root: string): Promise<FourDServerDouble> {
    this.secrets.keepInMemory(pushSecretKey(root));
    const { startDemoServer } = await import('../services/demo/demoServer.js');
    const double = await startDemoServer(root, this.push);
    this.running.push(double);
    return double;
  }

  async closeAll(): Promise<void> {
    const closing = this.running.splice(0);
    await Promise.all(closing.map((double) => double.close()));
  }
}
