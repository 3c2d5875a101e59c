import type { CommandContext } from '../../context.js';
import { WixqError } from '../../errors.js';
import { errorForStatus, parseWixErrorBody, wixErrorText } from '../../wix/error-body.js';
import { DEFAULT_API_URL } from '../../wix/hosts.js';
import type { WireCall } from '../../wix/snapshot.js';
import { notJsonError } from '../../wix/transport.js';

/** One raw request with the session's token (a 401 renews once, as for `wixq api`); a non-2xx answer is Wix's error. */
export function wireCaller(ctx: CommandContext): WireCall {
  const api = ctx.api();
  return (method, path, body) =>
    api.request(`${method} ${path}`, `${DEFAULT_API_URL}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) }, ({ status, statusText, headers, text }) => {
      if (status < 200 || status > 299) {
        const error = parseWixErrorBody(text);
        throw errorForStatus(status, `Wix answered ${status}${error.code ? ` ${error.code}` : ''} to ${method} ${path}: ${wixErrorText(error, statusText || 'no details')}`, {
          requestId: headers.get('x-wix-request-id') ?? undefined,
          role: api.role,
          code: error.code,
        });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        // A success that is not JSON (a portal page, a cut-off body): exit 5 with what came, like every other call.
        throw notJsonError(`${method} ${path}`, status, Buffer.byteLength(text), headers.get('content-type'), ctx.settings().apiUrl, headers.get('x-wix-request-id') ?? undefined);
      }
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new WixqError(`the answer to ${method} ${path} is not a JSON object`);
      return json as Record<string, unknown>;
    });
}

