/**
 * `mobile-sessions call <request> [params]`: the plumbing under the other commands, for scripts
 * and for the contract suite. It sends any contract request, with parameters as JSON, through the
 * same `dispatch` as every door, and prints the answer: the result, or with --json the whole
 * envelope (`{"ok":true,"result":…}` or `{"ok":false,"error":{…}}`) exactly as HTTP and IPC carry it.
 */
import type { Command } from 'commander';
import type { Envelope } from '../../shared/contract.js';
import { RequestFailed, withEngine } from './engine.js';
import { EXIT, UsageError } from './exitCodes.js';
import { json } from './format.js';
import type { CliIo } from './io.js';

function parseParams(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `The parameters must be JSON, such as '{"ref":"<app folder>/<session id>"}': ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export function registerCallCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('call')
    .description(
      'Send one request of the contract (shared/contract.ts) to the engine and print its answer as JSON.',
    )
    .argument('<request>', 'the request, e.g. getState, listApps, querySessions, readHistory')
    .argument('[params]', 'its parameters as one JSON object (default {})')
    .option('--root <folder>', 'open this MobileApps folder first, as every other command does')
    .option('--polling', 'with --root: poll instead of native watching (network shares)')
    .option('--json', 'print the whole answer envelope, errors included, on stdout')
    .action(
      async (
        request: string,
        paramsText: string | undefined,
        options: { root?: string; polling?: boolean; json?: boolean },
      ) => {
        const params = parseParams(paramsText);
        await withEngine(io, async (engine) => {
          const answer = async (): Promise<Envelope<unknown>> => {
            if (options.root !== undefined) {
              const opened = await engine.send('openRoot', {
                root: options.root,
                remember: false,
                settled: true,
                ...(options.polling ? { polling: true } : {}),
              });
              if (!opened.ok) return opened;
            }
            return engine.send(request, params);
          };
          const envelope = await answer();
          if (!envelope.ok) setExit(EXIT.failure);
          if (options.json) io.stdout(json(envelope));
          else if (envelope.ok) io.stdout(json(envelope.result));
          else throw new RequestFailed(envelope.error);
        });
      },
    );
}
