import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * Real local receivers for the person channels, each checking the request the way the provider
 * documents it — written here independently of the dispatcher's code:
 * - DingTalk custom robot: POST /dingtalk/<robot>?access_token=…&timestamp=…&sign=…, sign =
 *   urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret))), timestamp within 1 hour,
 *   JSON {msgtype: markdown, markdown: {title, text}};
 * - WeCom group robot: POST /wecom/send?key=…, JSON {msgtype: markdown, markdown: {content ≤ 4096 bytes}};
 * - SMS/voice gateway in Aliyun's shape: form POST, Signature = base64(HMAC-SHA1(secret + "&",
 *   "POST&%2F&" + encode(sorted query))), Action SendSms or SingleCallByTts;
 * - SMTP on loopback (smtp-server, a real SMTP implementation).
 * Each answers as told per robot / phone / mailbox and attempt (1-based).
 */

export interface RobotHit {
  kind: 'dingtalk' | 'wecom';
  robot: string;
  valid: boolean;
  problem?: string;
  text: string;
  title?: string;
  status: number;
}

export interface GatewayHit {
  action: string;
  phone: string;
  valid: boolean;
  problem?: string;
  params: Record<string, string>;
  templateParam: Record<string, string>;
  status: number;
}

/** What to answer: an HTTP status, a provider code, or no answer at all (the client times out). */
export type Answer = { status?: number; code?: string } | 'hang';
export type Script = (attempt: number) => Answer;

const percentEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export class ChannelReceiver {
  readonly robots: RobotHit[] = [];
  readonly gateway: GatewayHit[] = [];
  readonly dingTalkSecrets = new Map<string, string>();
  readonly weComKeys = new Set<string>();
  gatewaySecret = '';
  readonly #scripts = new Map<string, Script>();
  readonly #attempts = new Map<string, number>();
  readonly #hanging = new Set<http.ServerResponse>();
  #server: http.Server | undefined;

  get url(): string {
    const addr = this.#server?.address() as AddressInfo | undefined;
    if (!addr) throw new Error('receiver not started');
    return `http://127.0.0.1:${addr.port}`;
  }

  /** Script the answers for a robot name, WeCom key or phone number. */
  script(who: string, s: Script): void {
    this.#scripts.set(who, s);
  }

  #answer(who: string): Answer {
    const n = (this.#attempts.get(who) ?? 0) + 1;
    this.#attempts.set(who, n);
    return this.#scripts.get(who)?.(n) ?? {};
  }

  async start(): Promise<this> {
    this.#server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://x');
        if (url.pathname.startsWith('/dingtalk/')) return this.#dingTalk(url, body, res);
        if (url.pathname === '/wecom/send') return this.#weCom(url, body, res);
        if (url.pathname === '/gateway/') return this.#gateway(body, res);
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  #reply(res: http.ServerResponse, answer: Answer, ok: object, code: (c: string) => object): number {
    if (answer === 'hang') {
      this.#hanging.add(res);
      return 0;
    }
    const status = answer.status ?? 200;
    const payload = answer.code !== undefined ? code(answer.code) : ok;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    return status;
  }

  #dingTalk(url: URL, body: string, res: http.ServerResponse): void {
    const robot = url.pathname.slice('/dingtalk/'.length);
    const secret = this.dingTalkSecrets.get(robot);
    const ts = Number(url.searchParams.get('timestamp'));
    const sign = url.searchParams.get('sign') ?? '';
    let problem: string | undefined;
    const expected = secret
      ? createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64')
      : undefined;
    if (!url.searchParams.get('access_token')) problem = 'no access_token';
    else if (!expected || sign !== expected)
      problem = 'sign mismatch'; // searchParams decodes the urlencoding
    else if (Math.abs(Date.now() - ts) > 3_600_000) problem = 'timestamp older than 1 hour';
    let parsed: { msgtype?: string; markdown?: { title?: string; text?: string } } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      problem ??= 'body is not JSON';
    }
    if (parsed.msgtype !== 'markdown' || !parsed.markdown?.title || !parsed.markdown.text)
      problem ??= 'not a markdown message';
    const answer: Answer = problem ? { code: '310000' } : this.#answer(robot);
    const status = this.#reply(res, answer, { errcode: 0, errmsg: 'ok' }, (c) => ({
      errcode: Number(c),
      errmsg: c === '130101' ? 'send too fast, exceed 20 times per minute' : 'error',
    }));
    this.robots.push({
      kind: 'dingtalk',
      robot,
      valid: !problem,
      ...(problem ? { problem } : {}),
      text: parsed.markdown?.text ?? '',
      title: parsed.markdown?.title ?? '',
      status,
    });
  }

  #weCom(url: URL, body: string, res: http.ServerResponse): void {
    const key = url.searchParams.get('key') ?? '';
    let problem: string | undefined;
    if (!this.weComKeys.has(key)) problem = 'invalid webhook key';
    let parsed: { msgtype?: string; markdown?: { content?: string } } = {};
    try {
      parsed = JSON.parse(body);
    } catch {
      problem ??= 'body is not JSON';
    }
    const content = parsed.markdown?.content ?? '';
    if (parsed.msgtype !== 'markdown' || !content) problem ??= 'not a markdown message';
    if (Buffer.byteLength(content, 'utf8') > 4096) problem ??= 'content over 4096 bytes';
    const answer: Answer = problem ? { code: '93000' } : this.#answer(key);
    const status = this.#reply(res, answer, { errcode: 0, errmsg: 'ok' }, (c) => ({
      errcode: Number(c),
      errmsg: 'error',
    }));
    this.robots.push({
      kind: 'wecom',
      robot: key,
      valid: !problem,
      ...(problem ? { problem } : {}),
      text: content,
      status,
    });
  }

  #gateway(body: string, res: http.ServerResponse): void {
    const form = new URLSearchParams(body);
    const params: Record<string, string> = {};
    for (const [k, v] of form) params[k] = v;
    const { Signature: signature = '', ...rest } = params;
    const query = Object.keys(rest)
      .sort()
      .map((k) => `${percentEncode(k)}=${percentEncode(rest[k] ?? '')}`)
      .join('&');
    const expected = createHmac('sha1', `${this.gatewaySecret}&`)
      .update(`POST&${percentEncode('/')}&${percentEncode(query)}`)
      .digest('base64');
    const action = params.Action ?? '';
    const phone = params.PhoneNumbers ?? params.CalledNumber ?? '';
    let problem: string | undefined;
    if (signature !== expected) problem = 'SignatureDoesNotMatch';
    else if (action !== 'SendSms' && action !== 'SingleCallByTts') problem = 'unknown Action';
    const answer: Answer = problem ? { status: 400, code: 'SignatureDoesNotMatch' } : this.#answer(phone);
    const status = this.#reply(
      res,
      answer,
      { Code: 'OK', Message: 'OK', BizId: `biz-${this.gateway.length}`, RequestId: 'r' },
      (c) => ({
        Code: c,
        Message: c === 'isv.BUSINESS_LIMIT_CONTROL' ? '触发分钟级流控Permits:1' : c,
        RequestId: 'r',
      }),
    );
    let templateParam: Record<string, string> = {};
    try {
      templateParam = JSON.parse(params.TemplateParam ?? params.TtsParam ?? '{}');
    } catch {}
    this.gateway.push({
      action,
      phone,
      valid: !problem,
      ...(problem ? { problem } : {}),
      params,
      templateParam,
      status,
    });
  }

  async stop(): Promise<void> {
    for (const r of this.#hanging) r.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

export interface Mail {
  to: string[];
  raw: string;
  headers: Record<string, string>;
  subject: string;
  text: string;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) to text. */
function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, data: string) =>
      enc.toLowerCase() === 'b'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable')
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

/** A real SMTP server on loopback; a recipient's script decides accept (250), 451 (retry later) or 550. */
export class SmtpReceiver {
  readonly mails: Mail[] = [];
  readonly #scripts = new Map<string, (attempt: number) => 250 | 451 | 550>();
  readonly #attempts = new Map<string, number>();
  readonly #server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const who = address.address;
      const n = (this.#attempts.get(who) ?? 0) + 1;
      this.#attempts.set(who, n);
      const code = this.#scripts.get(who)?.(n) ?? 250;
      if (code === 250) return callback();
      const err = new Error(code === 451 ? 'mailbox busy, try again later' : 'no such mailbox') as Error & {
        responseCode: number;
      };
      err.responseCode = code;
      return callback(err);
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const split = raw.indexOf('\r\n\r\n');
        const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
        const headers: Record<string, string> = {};
        for (const line of head.split('\r\n')) {
          const i = line.indexOf(':');
          if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        this.mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          headers,
          subject: decodeWords(headers.subject ?? ''),
          text: decodeBody(raw.slice(split + 4), (headers['content-transfer-encoding'] ?? '').toLowerCase()),
        });
        callback();
      });
    },
  });

  get port(): number {
    return (this.#server.server.address() as AddressInfo).port;
  }

  script(address: string, s: (attempt: number) => 250 | 451 | 550): void {
    this.#scripts.set(address, s);
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
