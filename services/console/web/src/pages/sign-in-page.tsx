import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/api-client';
import { decodeClaims, session } from '../lib/session';

interface Persona {
  id: string;
  label: string;
  role: string;
  scope: string;
}

/** Checks a token against the API before keeping it, so a bad one is refused here with the API's reason. */
async function verifyToken(token: string): Promise<string | undefined> {
  const claims = decodeClaims(token);
  if (!claims) return '这不是有效的令牌（JWT 无法解析，或缺少 role / scope / exp）。';
  if (claims.exp * 1000 <= Date.now()) return '登录已过期：该令牌的有效期已到，请获取新令牌。';
  const res = await fetch('/api/v1/enterprises', { headers: { authorization: `Bearer ${token}` } });
  if (res.ok) return undefined;
  const p = (await res.json().catch(() => ({}))) as { detail?: string; code?: string };
  return new ApiError(res.status, p.code ?? `HTTP_${res.status}`, p.detail ?? res.statusText).userMessage;
}

/**
 * Sign-in: paste a bearer token (production: minted by the configured issuer or `yujing token
 * mint`), or, when the console runs in demo mode, pick a fixture persona.
 */
export function SignInPage() {
  const [personas, setPersonas] = useState<Persona[] | undefined>();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(session.notice());
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch('/console/session-options')
      .then((r) => r.json())
      .then((o: { devSignIn: boolean; personas: Persona[] }) => setPersonas(o.devSignIn ? o.personas : []))
      .catch(() => setPersonas([]));
  }, []);

  async function useToken(t: string) {
    setBusy(true);
    setError(null);
    try {
      const problem = await verifyToken(t.trim());
      if (problem) setError(problem);
      else session.signIn(t.trim());
    } catch (err) {
      setError(`无法连接控制台服务：${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  async function persona(id: string) {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/console/dev-sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ persona: id }),
      });
      const body = (await res.json()) as { token?: string; detail?: string };
      if (!res.ok || !body.token) setError(`演示登录失败：${body.detail ?? res.status}`);
      else await useToken(body.token);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <h1>山西省冶金工贸行业安全风险监测预警控制台</h1>
      {error && (
        <p class="error" role="alert" data-testid="sign-in-notice">
          {error}
        </p>
      )}
      {personas && personas.length > 0 && (
        <section class="card" data-testid="dev-sign-in">
          <h2>演示登录</h2>
          <p class="muted">仅在开发 / 演示环境提供：为演示数据中的角色签发令牌。</p>
          <div class="buttons">
            {personas.map((p) => (
              <button type="button" key={p.id} data-persona={p.id} disabled={busy} onClick={() => void persona(p.id)}>
                {p.label}
              </button>
            ))}
          </div>
        </section>
      )}
      <section class="card">
        <h2>使用令牌登录</h2>
        <p class="muted">粘贴签发给您的访问令牌（JWT）。令牌决定您的角色与可见区域。</p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void useToken(token);
          }}
        >
          <textarea
            data-testid="token-input"
            rows={4}
            value={token}
            placeholder="eyJhbGciOi…"
            onInput={(e) => setToken((e.currentTarget as HTMLTextAreaElement).value)}
          />
          <button type="submit" class="primary" disabled={busy || token.trim() === ''} data-testid="token-submit">
            登录
          </button>
        </form>
      </section>
    </main>
  );
}
