/**
 * The one entrance of every front door: checks the request's name and parameters against the
 * contract's schemas, calls the service, and wraps the answer or the error in an envelope.
 * Transports (IPC, HTTP) only move bytes to and from here.
 */
import { z } from 'zod';
import { type Envelope, MAX_REQUEST_BYTES, type RequestName, requestSchemas } from '../../shared/contract.js';
import { AppError, errorShapeOf } from '../../shared/errors.js';
import type { AppService } from './appService.js';

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requestSchemas, name);
}

function badRequest(message: string): Envelope<never> {
  return { ok: false, error: { code: 'bad-request', message } };
}

export async function dispatch(
  service: AppService,
  method: unknown,
  params: unknown,
  log: (message: string, error: unknown) => void = () => {},
): Promise<Envelope<unknown>> {
  if (!isRequestName(method))
    return badRequest(`Unknown request ${JSON.stringify(String(method).slice(0, 60))}.`);
  let size: number;
  try {
    size = JSON.stringify(params ?? {}).length;
  } catch {
    return badRequest('The request parameters are not plain data.');
  }
  if (size > MAX_REQUEST_BYTES)
    return badRequest(`The request is too large (${size} bytes, limit ${MAX_REQUEST_BYTES}).`);
  const parsed = requestSchemas[method].safeParse(params ?? {});
  if (!parsed.success) {
    return badRequest(
      `Invalid parameters for ${method}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`,
    );
  }
  try {
    const handler = service.handlers[method] as (p: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (error) {
    if (!(error instanceof AppError)) log(`request ${method} failed`, error);
    return { ok: false, error: errorShapeOf(error) };
  }
}
