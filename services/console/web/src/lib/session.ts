/**
 * The signed-in token, kept in sessionStorage (closes with the tab). Its claims are read for the
 * UI (role, scope, expiry); the API verifies the signature on every request. When the token
 * expires, or the API answers 401, the console returns to the sign-in page with the reason.
 */
export interface SessionClaims {
  sub: string;
  role: string;
  scope: { level: string; code: string };
  name?: string;
  exp: number;
}

const KEY = 'yj.console.token';
const NOTICE_KEY = 'yj.console.notice';

export function decodeClaims(token: string): SessionClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = atob(
      part
        .replaceAll('-', '+')
        .replaceAll('_', '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const c = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (ch) => ch.charCodeAt(0))));
    if (typeof c.role !== 'string' || typeof c.exp !== 'number' || typeof c.scope?.code !== 'string')
      return undefined;
    return c as SessionClaims;
  } catch {
    return undefined;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();
let expiryTimer: number | undefined;

export const session = {
  token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  claims(): SessionClaims | undefined {
    const t = this.token();
    return t ? decodeClaims(t) : undefined;
  },
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token);
    sessionStorage.removeItem(NOTICE_KEY);
    this.watchExpiry();
    for (const l of listeners) l();
  },
  /** Back to the sign-in page, with the message it shows. */
  signOut(notice?: string): void {
    sessionStorage.removeItem(KEY);
    if (notice) sessionStorage.setItem(NOTICE_KEY, notice);
    else sessionStorage.removeItem(NOTICE_KEY);
    if (expiryTimer !== undefined) clearTimeout(expiryTimer);
    for (const l of listeners) l();
  },
  notice(): string | null {
    return sessionStorage.getItem(NOTICE_KEY);
  },
  watchExpiry(): void {
    if (expiryTimer !== undefined) clearTimeout(expiryTimer);
    const c = this.claims();
    if (!c) return;
    const left = c.exp * 1000 - Date.now();
    if (left <= 0) {
      this.signOut('登录已过期，请重新登录（令牌有效期已到）。');
      return;
    }
    // setTimeout holds at most ~24.8 days; tokens live hours.
    expiryTimer = window.setTimeout(
      () => this.signOut('登录已过期，请重新登录（令牌有效期已到）。'),
      Math.min(left, 2 ** 31 - 1),
    );
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
