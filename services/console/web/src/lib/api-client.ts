import { session } from './session';

/** An API refusal as problem+json (operator-api http/problem-details): shown to the user as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }

  /** zh-CN text for the page: what happened, then the API's own words. */
  get userMessage(): string {
    const what =
      {
        400: '请求有误',
        401: '登录无效或已过期',
        403: '无权执行此操作',
        404: '未找到',
        409: '当前状态不允许此操作',
        422: '操作被拒绝',
        429: '请求过于频繁',
        502: '运行 API 不可达',
        503: '服务暂不可用',
      }[this.status] ?? `请求失败（HTTP ${this.status}）`;
    return `${what}：${this.detail}（${this.code}）`;
  }
}

async function problemOf(res: Response): Promise<ApiError> {
  const text = await res.text();
  try {
    const p = JSON.parse(text) as { code?: string; title?: string; detail?: string };
    return new ApiError(res.status, p.code ?? p.title ?? `HTTP_${res.status}`, p.detail ?? p.title ?? text);
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, text.slice(0, 300) || res.statusText);
  }
}

/** The operator API through the console's own origin (/api/v1/...), with the session's bearer token. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = session.token();
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const res = await fetch(`/api/v1${path}`, { ...init, headers });
  if (res.status === 401) {
    const err = await problemOf(res);
    session.signOut(`登录已失效，请重新登录：${err.detail}`);
    throw err;
  }
  if (!res.ok) throw await problemOf(res);
  return res;
}

export async function apiGet<T>(path: string): Promise<T> {
  return (await apiFetch(path)).json() as Promise<T>;
}

export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  return (await apiFetch(path, { method: 'POST', body: JSON.stringify(body) })).json() as Promise<T>;
}
