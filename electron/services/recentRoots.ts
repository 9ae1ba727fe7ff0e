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
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }
}
