/**
 * What `call` does (its options are in callCommand.ts): one contract request through the same
 * `dispatch` as every door, its answer printed as JSON. Loaded only when `call` runs.
 */
import type { Envelope } from '../../shared/contract.js';
import { RequestFailed, withEngine } from './engine.js';
import { EXIT, UsageError } from './exitCodes.js';
import { json } from './format.js';
import type { CommandContext } from './lazyAction.js';

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

export async function call(
  { io, setExit }: CommandContext,
  request: string,
  paramsText: string | undefined,
  options: { root?: string; polling?: boolean; json?: boolean },
): Promise<void> {
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
}
