/**
 * The flags commander hands to every command (`optsWithGlobals()`): the global ones, plus the few command flags that
 * are settings too (`--redirect-uri` of `auth login|logout`). A leaf module: program, context and commands import it.
 */
export interface GlobalOptions {
  profile?: string;
  clientId?: string;
  apiUrl?: string;
  output?: string;
  json?: boolean;
  /** false with --no-color. */
  color?: boolean;
  verbose?: boolean;
  demo?: boolean;
  retries?: string;
  timeout?: string;
  /** false with --no-input. */
  input?: boolean;
  redirectUri?: string;
}
