// `items` of @wix/data, from the package that holds it: @wix/wix-data-items-sdk (@wix/data re-exports it as `items`,
// and drags in @wix/headless-cms and React besides). Only the read calls wixq makes are taken, each as the REST
// module the package exports, with one change to what it is handed: see keepHttpStatus.
import { count, get, query, search } from '@wix/wix-data-items-sdk';

/** What @wix/sdk's client hands a REST module: `request` sends one HTTP request built by the module. */
interface HttpClient {
  request(factory: unknown): Promise<unknown>;
  [key: string]: unknown;
}
type RestModule = (httpClient: HttpClient) => unknown;

/**
 * The items SDK turns a failed response into `new Error(description)` with Wix's `details` beside it, and drops the
 * HTTP status (@wix/wix-data-items-common dist/cjs/api/ApiClient.js withErrorHandling, errors.js parseError). wixq
 * decides exit codes and the one renewal after a 401 by the status, so the request is wrapped: a failed response
 * becomes the error shape every other SDK module throws (`status`, `message` as the body's JSON text, `details`,
 * `requestId`). The SDK's own checks by Wix code still work on it (a missing item's WDE0073 still makes `get` answer
 * null: it is an Error with `details.applicationError.code`).
 */
function keepHttpStatus(module: unknown): RestModule {
  return (httpClient) =>
    (module as RestModule)({
      ...httpClient,
      request: (factory: unknown) => httpClient.request(factory).catch((error: unknown) => Promise.reject(withStatus(error))),
    });
}

/** The @wix/sdk error of a non-2xx answer (an SDKError, `{response: {status, data: {message, details}}}`) with its status kept. */
function withStatus(error: unknown): unknown {
  const response = (error as { response?: { status?: unknown; data?: { message?: unknown; details?: Record<string, any> } } } | null)?.response;
  if (typeof response?.status !== 'number') return error;
  const details = response.data?.details ?? {};
  const app = details.applicationError as { code?: unknown; data?: { requestId?: unknown; details?: unknown } } | undefined;
  // @wix/sdk (as @wix/api-client did) puts a body without an applicationError inside one it makes up: {code: status, data: {requestId, details: body}}.
  const madeUp = typeof app?.code === 'number';
  const body = madeUp && app?.data?.details && typeof app.data.details === 'object' ? app.data.details : { message: response.data?.message, details };
  const requestId = madeUp && typeof app?.data?.requestId === 'string' ? app.data.requestId : undefined;
  return Object.assign(new Error(JSON.stringify(body)), { status: response.status, details: (body as { details?: unknown }).details ?? details, requestId });
}

export const items = {
  query: keepHttpStatus(query),
  get: keepHttpStatus(get),
  count: keepHttpStatus(count),
  search: keepHttpStatus(search),
};
