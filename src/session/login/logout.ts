/** Member logout at Wix: its logout redirect session, walked as a browser would. */
import { isRedirectTarget, type SdkAuth } from './authorization.js';
import { followRedirects } from './walker.js';

export interface LogoutOptions {
  auth: SdkAuth;
  fetch: typeof fetch;
  /** Where Wix sends the browser after logging out; the walk stops there without visiting it. */
  postFlowUrl: string;
}

/** Wix's logout redirect session (`auth.logout`), then its logout URL fetched, as a browser would. */
export async function remoteLogout(o: LogoutOptions): Promise<void> {
  const { logoutUrl } = await o.auth.logout(o.postFlowUrl);
  const postFlow = new URL(o.postFlowUrl);
  await followRedirects(o.fetch, logoutUrl, (url) => isRedirectTarget(url, postFlow), { acceptPage: true });
}
