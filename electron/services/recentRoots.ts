/** The MobileApps folders opened recently, most recent first, kept in the data directory. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

const MAX_RECENT = 10;

export class RecentRoots {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'recent-roots.json');
  }

  async list(): Promise<string[]> {
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.file, 'utf8'));
      return Array.isArray(parsed)
        ? parsed.filter((v): v is string => typeof v === 'string').slice(0, MAX_RECENT)
        : [];
    } catch {
      return [];
    }
  }

  async add(root: string): Promise<string[]> {
    const next = [root, ...(await this.list()).filter((r) => r !== root)].slice(0, MAX_RECENT);
    await this.save(next);
    return next;
  }

  /** Forgets a folder (it no longer opens: moved, deleted, unmounted). */
  async remove(root: string): Promise<string[]> {
    const list = await this.list();
    const next = list.filter((r) => r !== root);
    if (next.length !== list.length) await this.save(next);
    return next;
  }

  private async save(list: string[]): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(list, null, 2)}\n`);
  }
}
