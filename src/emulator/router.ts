import type { EmulatorRequest, Reply } from './http.js';

export type Handler = (req: EmulatorRequest) => Reply | Promise<Reply>;

/**
 * Which budget a route belongs to: `api` requests count for the rate limit and the fail rate,
 * `oauth` ones (token endpoint, authorize pages) do not.
 */
export type RouteKind = 'api' | 'oauth';

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  kind: RouteKind;
}

/** A matched route with its path parameters. */
export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
  kind: RouteKind;
}

/** A first-match route table over path templates such as `/v1/products/:id`. */
export class Router {
  private readonly routes: Route[] = [];

  /** Adds a route for one or more methods; earlier routes win. */
  add(methods: string | string[], template: string, handler: Handler, kind: RouteKind = 'api'): this {
    const names: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1));
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    const pattern = new RegExp(`^${source}/?$`);
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      this.routes.push({ method: method.toUpperCase(), pattern, names, handler, kind });
    }
    return this;
  }

  /** The first route matching the method and path. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]!);
      });
      return { handler: route.handler, params, kind: route.kind };
    }
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
